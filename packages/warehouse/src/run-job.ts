import type { SqlGatewaySession } from "@trackway/flink";
import { jobStatements, type RuntimeMode, type Warehouse } from "./warehouse.js";

/** A job submitted to Flink. */
export interface SubmittedJob {
  /** Flink's job id of the INSERT (or statement set). */
  flinkJobId: string;
  statements: string[];
}

/**
 * Runs a job's statements in a SQL Gateway session and returns the Flink job id of its final INSERT.
 * `savepointPath` resumes from a savepoint (`execution.savepoint.path`).
 */
export async function runJob(
  session: SqlGatewaySession,
  wh: Warehouse,
  jobName: string,
  mode: RuntimeMode,
  values: Record<string, string> = {},
  savepointPath?: string,
): Promise<SubmittedJob> {
  const statements = jobStatements(wh, jobName, mode, values);
  if (savepointPath) await session.execute(`SET 'execution.savepoint.path' = '${savepointPath.replace(/'/g, "''")}'`);
  let flinkJobId: string | undefined;
  for (const statement of statements) {
    const r = await session.execute(statement);
    if (r.jobId) flinkJobId = r.jobId;
  }
  if (savepointPath) await session.execute("RESET 'execution.savepoint.path'");
  if (!flinkJobId) throw new Error(`job ${jobName} submitted no Flink job; its last statement must be an INSERT or a statement set`);
  return { flinkJobId, statements };
}
