import { readFile, readdir } from "node:fs/promises";
import { basename, join } from "node:path";

/** A parameter a job file declares with `-- @param name default` (no default means required). */
export interface JobParam {
  name: string;
  default: string | undefined;
  description: string;
}

/** A job definition: a `.sql` file under `jobs/`, its header and its statements. */
export interface JobFile {
  /** File name without `.sql`, for example `ods_events`. */
  name: string;
  description: string;
  /** Runtime modes the job supports, from `-- @modes STREAMING,BATCH`. */
  modes: ("STREAMING" | "BATCH")[];
  /** Table files (under jobs/tables) the job needs, from `-- @tables a,b`. */
  tables: string[];
  params: JobParam[];
  /** Parameter values that apply only in one mode, from `-- @batch-param k v` and `-- @streaming-param k v`. */
  modeParams: { STREAMING: Record<string, string>; BATCH: Record<string, string> };
  /**
   * Jobs this one runs as one Flink job (a statement set), from `-- @combines a,b`: their tables, parameters and
   * SET statements, and their INSERTs in one `EXECUTE STATEMENT SET`. Filled in by `loadWarehouse`.
   */
  combines: string[];
  /** The SQL text after the header, parameters not yet substituted. */
  body: string;
}

const PARAM = /^--\s*@param\s+([a-z_][a-z0-9_]*)(?:\s+(\S+))?\s*(?:--\s*(.*))?$/;

/** Parses a job file's text: `-- @key value` header lines, then SQL. */
export function parseJobFile(name: string, text: string): JobFile {
  const job: JobFile = { name, description: "", modes: ["STREAMING", "BATCH"], tables: [], params: [], modeParams: { STREAMING: {}, BATCH: {} }, combines: [], body: text };
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (!t.startsWith("-- @")) continue;
    const p = PARAM.exec(t);
    if (p) job.params.push({ name: p[1]!, default: p[2] === "-" ? undefined : p[2], description: p[3]?.trim() ?? "" });
    else if (t.startsWith("-- @description ")) job.description = t.slice(16).trim();
    else if (t.startsWith("-- @modes ")) job.modes = t.slice(10).split(",").map((m) => m.trim().toUpperCase()) as JobFile["modes"];
    else if (t.startsWith("-- @tables ")) job.tables = t.slice(11).split(",").map((m) => m.trim()).filter(Boolean);
    else if (t.startsWith("-- @combines ")) job.combines = t.slice(13).split(",").map((m) => m.trim()).filter(Boolean);
    else {
      const m = /^--\s*@(batch|streaming)-param\s+([a-z_][a-z0-9_]*)\s+(\S+)/.exec(t);
      if (m) job.modeParams[m[1] === "batch" ? "BATCH" : "STREAMING"][m[2]!] = m[3]!;
    }
  }
  return job;
}

/** Substitutes `${name}` with parameter values (the job's defaults, overridden by `values`); a missing one throws. */
export function substitute(job: Pick<JobFile, "name" | "params" | "body">, values: Record<string, string>): string {
  const known = new Map(job.params.map((p) => [p.name, values[p.name] ?? p.default]));
  return job.body.replace(/\$\{([a-z_][a-z0-9_]*)\}/g, (_m, key: string) => {
    const v = known.has(key) ? known.get(key) : values[key];
    if (v === undefined) throw new Error(`job ${job.name}: parameter "${key}" has no value; pass it or give it a default with -- @param ${key} <default>`);
    return v;
  });
}

/**
 * Splits SQL text into statements at `;` ending a line, dropping comment-only lines. A statement set
 * (`EXECUTE STATEMENT SET BEGIN … END;`) stays one statement.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let inSet = false;
  for (const line of sql.split("\n")) {
    if (line.trim().startsWith("--") || (current.length === 0 && line.trim() === "")) continue;
    if (current.length === 0 && /^\s*(EXECUTE\s+)?(BEGIN\s+)?STATEMENT\s+SET/i.test(line)) inSet = true;
    current.push(line);
    if (inSet && !/^\s*END\s*;\s*$/i.test(line)) continue;
    inSet = false;
    if (line.trimEnd().endsWith(";")) {
      out.push(current.join("\n").trim().replace(/;$/, ""));
      current = [];
    }
  }
  const rest = current.join("\n").trim();
  if (rest) out.push(rest);
  return out;
}

/** Reads every job file in a directory (not recursing into `tables/`). */
export async function loadJobFiles(dir: string): Promise<JobFile[]> {
  const names = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  return Promise.all(names.map(async (f) => parseJobFile(basename(f, ".sql"), await readFile(join(dir, f), "utf8"))));
}
