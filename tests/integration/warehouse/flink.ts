import { tableStatements, type Warehouse } from "@trackway/warehouse";
import { cancelFlinkJob, SqlGatewayClient, type SqlGatewaySession, type StackEndpoints } from "@trackway/stack";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until a Flink job reaches FINISHED; throws with Flink's root exception when it fails. */
export async function waitFinished(flinkRestUrl: string, jobId: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const job = (await fetch(`${flinkRestUrl}/jobs/${jobId}`).then((r) => r.json())) as { state: string };
    if (job.state === "FINISHED") return;
    if (job.state === "FAILED" || job.state === "CANCELED") {
      const ex = (await fetch(`${flinkRestUrl}/jobs/${jobId}/exceptions`).then((r) => r.json())) as { "root-exception"?: string };
      throw new Error(`job ${jobId} ${job.state}: ${(ex["root-exception"] ?? "").split("\n")[0]}`);
    }
    await sleep(1000);
  }
  throw new Error(`job ${jobId} did not finish in ${timeoutMs} ms`);
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

/** A session for batch reads of the warehouse tables under one base path. */
export async function readerSession(endpoints: StackEndpoints, wh: Warehouse, values: Record<string, string>): Promise<SqlGatewaySession> {
  const session = await new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl }).openSession({ name: "warehouse-it-reader" });
  const tables = ["ods_events", "dws_event_counts_hourly", "dws_daily_active_users"];
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
  for (const id of jobIds) if (id) await cancelFlinkJob(flinkRestUrl, id).catch(() => {});
}
