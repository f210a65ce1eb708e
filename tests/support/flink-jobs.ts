import { runJob, tableStatements, type Warehouse } from "@trackway/warehouse";
import { FlinkRestClient, SqlGatewayClient, type SqlGatewaySession } from "@trackway/flink";
import type { StackEndpoints } from "@trackway/stack";
import { sleep } from "./sleep.js";


/** Waits until a Flink job reaches FINISHED; throws with Flink's root exception when it fails. */
export function waitFinished(flinkRestUrl: string, jobId: string, timeoutMs = 180_000): Promise<void> {
  return new FlinkRestClient({ baseUrl: flinkRestUrl, pollIntervalMs: 1000 }).waitFinished(jobId, timeoutMs);
}

/** Polls `read` until `done` holds on its value (returning it) or the time is up (returning the last value). */
export async function pollUntil<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number, everyMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await read();
  while (!done(v) && Date.now() < deadline) {
    await sleep(everyMs);
    v = await read();
  }
  return v;
}

/** A session (named `name`) for batch reads of the warehouse `tables` under one base path. */
export async function readerSession(
  endpoints: StackEndpoints,
  wh: Warehouse,
  values: Record<string, string>,
  tables = ["ods_events", "dws_event_counts_hourly", "dws_daily_active_users"],
  name = "warehouse-it-reader",
): Promise<SqlGatewaySession> {
  const session = await new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl }).openSession({ name });
  for (const st of tableStatements(wh, tables, { ...values, ods_streaming_read: "false", ods_read_start_commit: "earliest" })) await session.execute(st);
  return session;
}

/** Runs a query in BATCH mode and returns its rows' fields. */
export async function batchRows(session: SqlGatewaySession, sql: string): Promise<unknown[][]> {
  const r = await session.execute(sql, { executionConfig: { "execution.runtime-mode": "batch" }, timeoutMs: 120_000 });
  return r.rows.map((row) => row.fields);
}

/** Cancels jobs, ignoring ones already gone. */
export async function cancelAll(flinkRestUrl: string, jobIds: (string | undefined)[]): Promise<void> {
  const flink = new FlinkRestClient({ baseUrl: flinkRestUrl });
  for (const id of jobIds) if (id) await flink.cancelAndWait(id).catch(() => {});
}

/**
 * Job values of a test's own warehouse over its own topics: consumer groups and the Hudi base path (under the stack's)
 * are named after `name`, which the caller makes unique per run.
 */
export function jobValues(endpoints: StackEndpoints, topics: { events: string; rejected: string }, name: string): Record<string, string> {
  return {
    kafka_brokers: endpoints.kafkaBrokers.join(","),
    events_topic: topics.events,
    rejected_topic: topics.rejected,
    kafka_group_id: name,
    kafka_rejected_group_id: `${name}-rej`,
    hudi_base_path: `${endpoints.hudiBasePath}/${name}`,
  };
}

/** Runs a warehouse job (a file under jobs/) in BATCH mode, in a session named `session` of its own, until it finished. */
export async function runBatch(endpoints: StackEndpoints, wh: Warehouse, job: string, values: Record<string, string>, session: string): Promise<void> {
  const s = await new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl }).openSession({ name: session });
  try {
    await waitFinished(endpoints.flinkRestUrl, (await runJob(s, wh, job, "BATCH", values)).flinkJobId);
  } finally {
    await s.close().catch(() => {});
  }
}
