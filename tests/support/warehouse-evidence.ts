// What a warehouse test prints when a streaming table disagrees with what was acknowledged: the evidence needed to
// tell a missed Hudi commit from a lost DWS write without the state dir, which CI does not keep.
import { readFile, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { FlinkRestClient, type SqlGatewaySession } from "@trackway/flink";

/** The lines of the Flink logs that say which commits were written, recommitted, rolled back and read. */
const FLINK_LINE = /consumed to instant|Recommit instant|Begin rollback of instant|Send uncommitted|Send bootstrap|Commit instant \[|Scheduling compaction at|Restoring job|Restoring state for|switched from (?:RUNNING|INITIALIZING|DEPLOYING) to (?:FAILED|CANCELED)/;
const STAMP = /^\d{4}-\d\d-\d\d (\d\d:\d\d:\d\d,\d{3})\s+\w+\s+(\S+)\s+\[\] - /;

/** A table's timeline: one line per instant, with when each state of it was written. */
async function timeline(tablePath: string): Promise<string[]> {
  const dir = join(tablePath, ".hoodie");
  const instants = new Map<string, string[]>();
  for (const n of (await readdir(dir).catch(() => [] as string[])).sort()) {
    const m = /^(\d{17})\.(\w+?)(?:\.(requested|inflight))?$/.exec(n);
    if (!m) continue;
    const at = new Date((await stat(join(dir, n))).mtimeMs).toISOString().slice(11, 23);
    const states = instants.get(m[1]!) ?? [m[2]!];
    states.push(`${m[3] ?? "completed"} ${at}`);
    instants.set(m[1]!, states);
  }
  return [...instants].map(([t, [action, ...states]]) => `${t} ${action}: ${states.join(", ")}`);
}

/**
 * The matching lines of every Flink log (JobManager, TaskManager) under a stack's state dir, in time order, the last
 * `max` of them. A message on a line of its own gets its record's time; a message repeated unchanged is shown once.
 */
async function flinkLines(stateDir: string, max: number): Promise<string[]> {
  const logs = join(stateDir, "logs");
  const files = (await readdir(logs).catch(() => [] as string[])).filter((f) => /^flink-.*\.log$/.test(f));
  const lines: string[] = [];
  for (const f of files) {
    const part = f.replace(/^flink-|\.log$/g, "");
    let time = "";
    let last = "";
    for (const l of (await readFile(join(logs, f), "utf8")).split("\n")) {
      const m = STAMP.exec(l);
      if (m) time = m[1]!;
      if (!FLINK_LINE.test(l)) continue;
      const text = (m ? `${m[2]!.replace(/^.*\./, "")} ${l.slice(m[0].length)}` : l.replace(/^-+\s*/, "")).slice(0, 220);
      if (text !== last) lines.push(`${time} ${part} ${text}`);
      last = text;
    }
  }
  return lines.sort().slice(-max);
}

/** Each Flink job: name, state, and the failures it restarted from (Flink's exception history), newest first. */
async function flinkJobs(flinkRestUrl: string): Promise<string[]> {
  type History = { exceptionHistory?: { entries?: { stacktrace: string; timestamp: number }[] } };
  const flink = new FlinkRestClient({ baseUrl: flinkRestUrl });
  const out: string[] = [];
  try {
    for (const j of (await flink.jobs()).sort((a, b) => a["start-time"] - b["start-time"])) {
      const ex = await flink.request<History | undefined>(`/jobs/${j.jid}/exceptions?maxExceptions=5`, { allow404: true }).catch(() => undefined);
      const entries = ex?.exceptionHistory?.entries ?? [];
      out.push(`  ${j.jid} ${j.name} ${j.state} started ${new Date(j["start-time"]).toISOString()}, ${entries.length} failure(s)`);
      for (const e of entries) out.push(`    ${new Date(e.timestamp).toISOString()} ${e.stacktrace.split("\n").slice(0, 3).join(" | ").slice(0, 400)}`);
    }
  } catch (e) {
    out.push(`  not read (${e instanceof Error ? e.message : e})`);
  }
  return out;
}

/**
 * Prints, for a local warehouse under `basePath` (a file: URI) on the stack in `stateDir`, the rows of ods_events per
 * Hudi commit, the timelines of ods_events and of `tables`, the Flink jobs with their failures, and the Flink log
 * lines of commits and reads.
 */
export async function printWarehouseEvidence(reader: SqlGatewaySession, flinkRestUrl: string, stateDir: string, basePath: string, tables: string[]): Promise<void> {
  const root = basePath.replace(/^file:\/\//, "");
  const out: string[] = [`--- warehouse evidence (${root})`];
  try {
    await reader.execute(
      `CREATE TEMPORARY TABLE IF NOT EXISTS evidence_ods (_hoodie_commit_time STRING, tenant STRING, event_id STRING, received_at TIMESTAMP(3), event_date STRING, PRIMARY KEY (tenant, event_id) NOT ENFORCED) PARTITIONED BY (event_date) WITH ('connector' = 'hudi', 'path' = '${basePath}/ods_events', 'table.type' = 'MERGE_ON_READ', 'hoodie.embed.timeline.server' = 'false', 'precombine.field' = 'received_at')`,
    );
    const r = await reader.execute("SELECT _hoodie_commit_time, COUNT(*) FROM evidence_ods GROUP BY _hoodie_commit_time", { executionConfig: { "execution.runtime-mode": "batch" }, timeoutMs: 120_000 });
    out.push(`ods_events rows per commit: ${r.rows.map((x) => x.fields.join("=")).sort().join(" ")}`);
  } catch (e) {
    out.push(`ods_events rows per commit: not read (${e instanceof Error ? e.message.slice(0, 200) : e})`);
  }
  for (const t of ["ods_events", ...tables]) out.push(`timeline ${t}:`, ...(await timeline(join(root, t))).map((l) => `  ${l}`));
  out.push("flink jobs:", ...(await flinkJobs(flinkRestUrl)));
  out.push("flink log:", ...(await flinkLines(stateDir, 400)).map((l) => `  ${l}`), "--- end of warehouse evidence");
  console.log(out.join("\n"));
}
