import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { combineJob } from "./combine.js";
import { loadJobFiles, splitStatements, substitute, type JobFile } from "./job-file.js";
import { withKafkaOptions } from "./kafka-options.js";

/** A Flink runtime mode. */
export type RuntimeMode = "STREAMING" | "BATCH";

/** The repository's `jobs/` directory. */
export const jobsDir = fileURLToPath(new URL("../../../jobs/", import.meta.url));

/** The warehouse's job files and table files, by name. */
export interface Warehouse {
  jobs: Map<string, JobFile>;
  tables: Map<string, JobFile>;
  /**
   * Options every Kafka table gets (SASL/TLS `properties.*`). They are added when statements are rendered, never
   * stored as job parameters, so a job listing does not show the password. @default none
   */
  kafkaOptions?: Readonly<Record<string, string>>;
}

/** What loadWarehouse adds to the files. */
export interface WarehouseOptions {
  /** Connector options for Kafka tables, from `flinkKafkaOptions(security)`. @default none (plaintext) */
  kafkaOptions?: Readonly<Record<string, string>>;
}

/** Loads `jobs/*.sql` and `jobs/tables/*.sql`; a `-- @combines` job gets its members' statements (combineJob). */
export async function loadWarehouse(dir = jobsDir, options: WarehouseOptions = {}): Promise<Warehouse> {
  const [files, tables] = await Promise.all([loadJobFiles(dir), loadJobFiles(join(dir, "tables"))]);
  const jobs = new Map(files.map((j) => [j.name, j]));
  for (const j of files) if (j.combines.length) jobs.set(j.name, combineJob(j, jobs));
  return { jobs, tables: new Map(tables.map((t) => [t.name, t])), kafkaOptions: options.kafkaOptions };
}

function get(map: Map<string, JobFile>, name: string, what: string): JobFile {
  const f = map.get(name);
  if (!f) throw new Error(`unknown ${what} "${name}"; known: ${[...map.keys()].join(", ")}`);
  return f;
}

/** Every parameter the job and its tables declare, with defaults (table < job < the mode's own values). */
export function jobParameters(wh: Warehouse, jobName: string, mode: RuntimeMode): Record<string, string | undefined> {
  const job = get(wh.jobs, jobName, "job");
  const out: Record<string, string | undefined> = {};
  for (const t of job.tables.map((n) => get(wh.tables, n, "table"))) for (const p of t.params) out[p.name] = p.default;
  for (const p of job.params) out[p.name] = p.default;
  return { ...out, ...job.modeParams[mode] };
}

/** The DDL creating the named tables in a session, parameters substituted, Kafka tables with the warehouse's Kafka options. */
export function tableStatements(wh: Warehouse, names: readonly string[], values: Record<string, string>): string[] {
  return names.flatMap((n) => {
    const t = get(wh.tables, n, "table");
    return splitStatements(substitute(t, values)).map((s) => withKafkaOptions(s, wh.kafkaOptions ?? {}));
  });
}

/**
 * The statements that run a job in a mode: the runtime mode, the tables it needs, then its own statements.
 * `values` override the declared defaults; a parameter with no value throws naming it.
 */
export function jobStatements(wh: Warehouse, jobName: string, mode: RuntimeMode, values: Record<string, string> = {}): string[] {
  const job = get(wh.jobs, jobName, "job");
  if (!job.modes.includes(mode)) throw new Error(`job ${jobName} does not run in ${mode} mode (it supports ${job.modes.join(", ")})`);
  const defaults = Object.fromEntries(Object.entries(jobParameters(wh, jobName, mode)).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const merged = { ...defaults, ...values };
  return [
    `SET 'execution.runtime-mode' = '${mode.toLowerCase()}'`,
    ...tableStatements(wh, job.tables, merged),
    ...splitStatements(substitute(job, merged)),
  ];
}
