import { splitStatements, type JobFile, type JobParam } from "./job-file.js";

/**
 * A `-- @combines a,b` job made whole: the members' tables (in order, once each), parameters and mode values
 * (members must agree on defaults), modes they all support, and a body of the job's own statements, the
 * members' SET statements once each (members must agree on values), then every member's INSERT in one
 * `EXECUTE STATEMENT SET`. Flink plans a statement set as one job, so sources the INSERTs read alike are
 * read once (jobs/README.md, "One job for the DWS tables").
 */
export function combineJob(job: JobFile, jobs: ReadonlyMap<string, JobFile>): JobFile {
  const members = job.combines.map((n) => {
    const m = jobs.get(n);
    if (!m) throw new Error(`job ${job.name}: combines unknown job "${n}"; known: ${[...jobs.keys()].join(", ")}`);
    if (m.combines.length) throw new Error(`job ${job.name}: cannot combine ${n}, which combines jobs itself`);
    return m;
  });
  const agree = <T>(into: Map<string, T>, key: string, value: T, what: string, same: (a: T, b: T) => boolean) => {
    const had = into.get(key);
    if (had !== undefined && !same(had, value)) throw new Error(`job ${job.name}: its jobs disagree on ${what} "${key}"; give it one value in every job`);
    into.set(key, value);
  };
  const params = new Map<string, JobParam>(job.params.map((p) => [p.name, p]));
  const modeValues = { STREAMING: new Map(Object.entries(job.modeParams.STREAMING)), BATCH: new Map(Object.entries(job.modeParams.BATCH)) };
  const sets = new Map<string, string>();
  const own: string[] = [];
  const inserts: string[] = [];
  for (const m of members) {
    for (const p of m.params) if (!job.params.some((o) => o.name === p.name)) agree(params, p.name, p, "the default of parameter", (a, b) => a.default === b.default);
    for (const mode of ["STREAMING", "BATCH"] as const) {
      for (const [k, v] of Object.entries(m.modeParams[mode])) agree(modeValues[mode], k, v, `the ${mode} value of`, (a, b) => a === b);
    }
    for (const st of splitStatements(m.body)) {
      const set = /^SET\s+'([^']+)'\s*=/i.exec(st);
      if (set) agree(sets, set[1]!, st, "the setting", (a, b) => a === b);
      else if (/^INSERT\s/i.test(st)) inserts.push(st);
      else throw new Error(`job ${job.name}: ${m.name} has a statement that is neither SET nor INSERT, which a statement set cannot hold: ${st.slice(0, 80)}`);
    }
  }
  for (const st of splitStatements(job.body)) {
    if (!/^SET\s/i.test(st)) throw new Error(`job ${job.name}: a combining job holds only SET statements of its own`);
    own.push(st);
  }
  const body = [...own, ...sets.values()].map((s) => `${s};`).join("\n") + `\nEXECUTE STATEMENT SET\nBEGIN\n${inserts.join(";\n")};\nEND;\n`;
  return {
    ...job,
    modes: job.modes.filter((mode) => members.every((m) => m.modes.includes(mode))),
    tables: [...new Set([...job.tables, ...members.flatMap((m) => m.tables)])],
    params: [...params.values()],
    modeParams: { STREAMING: Object.fromEntries(modeValues.STREAMING), BATCH: Object.fromEntries(modeValues.BATCH) },
    body,
  };
}
