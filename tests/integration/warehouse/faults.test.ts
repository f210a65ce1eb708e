// Fault tests: kill -9 of the Flink TaskManager, then of the JobManager, while events stream in. They run on a
// stack instance of their own (own state dir, free ports, started here and purged afterwards), so the shared
// stack and the other tests never see the kills. This file points process.env at that stack while it runs and
// restores it afterwards (integration files run one after another in one process).
import { readdir, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { createClient, type TrackwayClient } from "@trackway/client";
import { FlinkRestClient, SqlGatewayClient, type ClusterOverview, type SqlGatewaySession } from "@trackway/flink";
import type { RunningIngest } from "@trackway/ingest";
import { down, ensureStack, killPart, type StackEndpoints } from "@trackway/stack";
import { loadWarehouse, runJob, type Warehouse } from "@trackway/warehouse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AckLog, freePort, ingestWorld, sleep, type IngestWorld } from "../../support/index.js";
import { printWarehouseEvidence } from "../../support/warehouse-evidence.js";
import { batchRows, cancelAll, jobValues, pollUntil, readerSession, waitFinished } from "../../support/flink-jobs.js";

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const JOBS = ["ods_events", "dws_event_counts_hourly", "dws_daily_active_users"] as const;
let env: NodeJS.ProcessEnv;
// Integration files share one process (singleFork): the shared stack's environment comes back in afterAll.
const sharedEnv = process.env;
let endpoints: StackEndpoints;
let w: IngestWorld;
let ingest: RunningIngest;
let wh: Warehouse;
let reader: SqlGatewaySession;
let values: Record<string, string>;
const jobIds = new Map<string, string>();
const log = new AckLog();
let client: TrackwayClient;

beforeAll(async () => {
  env = { ...process.env, TRACKWAY_STATE_DIR: join(tmpdir(), `trackway-faults-${run}`), TRACKWAY_FLINK_TM_SLOTS: "4" };
  for (const k of ["TRACKWAY_KAFKA_BROKERS", "TRACKWAY_FLINK_REST_URL", "TRACKWAY_SQL_GATEWAY_URL", "TRACKWAY_HUDI_BASE_PATH", "DATABASE_URL"]) delete env[k];
  for (const k of ["TRACKWAY_KAFKA_PORT", "TRACKWAY_KAFKA_CONTROLLER_PORT", "TRACKWAY_FLINK_REST_PORT", "TRACKWAY_FLINK_RPC_PORT", "TRACKWAY_SQL_GATEWAY_PORT", "TRACKWAY_PG_PORT"]) {
    env[k] = String(await freePort());
  }
  // The harness (registry, Postgres, Kafka topics) reads the stack from the environment: this worker's only.
  process.env = env;
  endpoints = await ensureStack({ env });
  w = await ingestWorld();
  ingest = await w.startIngest();
  wh = await loadWarehouse();
  values = { ...jobValues(endpoints, w.topics, `faults-${run}`), checkpoint_interval: "2s" };
  client = createClient({
    address: ingest.address,
    apiKey: w.apiKey,
    schemas: [w.orderV1],
    versions: { "shop.order_completed": 1 },
    maxBatchEvents: 50,
    flushIntervalMs: 20,
    maxQueueEvents: 100_000,
    backoff: { initialBackoffMs: 100, maxBackoffMs: 1000, maxAttempts: 1000 },
    hooks: log.hooks,
  });
}, 600_000);

afterAll(async () => {
  await client?.close().catch(() => {});
  await cancelAll(endpoints?.flinkRestUrl ?? "", [...jobIds.values()]);
  await reader?.close().catch(() => {});
  await w?.stop().catch(() => {});
  // TRACKWAY_KEEP_FAULT_STACK=1 keeps the state dir (logs, checkpoints, Hudi timelines) to look at afterwards.
  if (env) await down({ env, purge: !process.env.TRACKWAY_KEEP_FAULT_STACK, progress: "quiet" });
  if (env && process.env.TRACKWAY_KEEP_FAULT_STACK) console.log(`fault stack kept in ${env.TRACKWAY_STATE_DIR}`);
  process.env = sharedEnv;
}, 300_000);

const gateway = () => new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl });

/** Sends events for `ms` at about 500 events/s, 20 users. */
async function stream(ms: number): Promise<void> {
  const end = Date.now() + ms;
  let n = log.acked.size;
  while (Date.now() < end) {
    for (let i = 0; i < 10; i++, n++) client.track("shop.order_completed", create(w.orderV1, { orderId: `o-${n}` }), { identity: { userId: `u-${n % 20}` } });
    await sleep(20);
  }
}

/** Waits until the job has completed a checkpoint after `since` (ms since epoch). */
async function checkpointed(jobId: string, since: number): Promise<void> {
  const c = await pollUntil(
    () => fetch(`${endpoints.flinkRestUrl}/jobs/${jobId}/checkpoints`).then((r) => r.json() as Promise<{ latest?: { completed?: { latest_ack_timestamp: number } } }>),
    (c) => (c.latest?.completed?.latest_ack_timestamp ?? 0) > since,
    120_000,
    500,
  );
  if ((c.latest?.completed?.latest_ack_timestamp ?? 0) <= since) throw new Error(`job ${jobId} completed no checkpoint in 120 s`);
}

/** Prints what the Hudi timelines and the Flink logs say (CI keeps no state dir to look at afterwards). */
const evidence = () => printWarehouseEvidence(reader, endpoints.flinkRestUrl, env.TRACKWAY_STATE_DIR!, values.hudi_base_path!, JOBS.slice(1));

/** ods_events holds every acknowledged event exactly once, and nothing else. */
async function expectOdsExactlyOnce(): Promise<void> {
  const want = log.acked.size;
  const counts = await pollUntil(() => batchRows(reader, "SELECT COUNT(*), COUNT(DISTINCT event_id) FROM ods_events"), (r) => Number(r[0]?.[0]) >= want, 240_000);
  if (Number(counts[0]?.[0]) !== want) await evidence();
  expect(counts).toEqual([[want, want]]);
  const ids = new Set((await batchRows(reader, "SELECT event_id FROM ods_events")).map((r) => String(r[0])));
  expect([...log.acked].filter((id) => !ids.has(id))).toEqual([]);
}

const dwsRows = async () => ({
  hourly: await batchRows(reader, "SELECT tenant, event_name, CAST(hour_start AS STRING), event_count, unique_users FROM dws_event_counts_hourly ORDER BY 1, 2, 3"),
  daily: await batchRows(reader, "SELECT tenant, event_date, active_users FROM dws_daily_active_users ORDER BY 1, 2"),
});

/** Events counted by the hourly DWS table: the sum of its event_count column. */
const hourlyTotal = (r: Awaited<ReturnType<typeof dwsRows>>) => r.hourly.reduce((a, x) => a + Number(x[3]), 0);

/** The streaming DWS tables caught up with every acknowledged event and equal what a BATCH run computes. */
async function expectDwsEqualsBatch(): Promise<void> {
  const want = log.acked.size;
  const streamed = await pollUntil(dwsRows, (r) => hourlyTotal(r) >= want && r.daily.length > 0, 240_000);
  if (hourlyTotal(streamed) !== want) await evidence();
  expect(hourlyTotal(streamed)).toBe(want);
  for (const d of streamed.daily) expect(Number(d[2])).toBeLessThanOrEqual(20);
  // One writer per table: the streaming DWS jobs stop before the BATCH runs upsert the same keys.
  await cancelAll(endpoints.flinkRestUrl, JOBS.slice(1).map((n) => jobIds.get(n)));
  for (const name of JOBS.slice(1)) jobIds.delete(name);
  for (const name of JOBS.slice(1)) {
    const job = await runJob(await gateway().openSession({ name: `${name}-batch` }), wh, name, "BATCH", values);
    await waitFinished(endpoints.flinkRestUrl, job.flinkJobId);
  }
  expect(await dwsRows()).toEqual(streamed);
}

/**
 * Waits until every TaskManager has all its slots free. After a JobManager dies without HA, the TaskManagers keep
 * running its tasks until their heartbeat to it times out (50 s); a job resubmitted before that runs beside its own
 * zombie, two writers on one Hudi table. The new JobManager sees the zombies' slots as taken until they are gone.
 */
async function zombiesGone(): Promise<void> {
  const flink = new FlinkRestClient({ baseUrl: endpoints.flinkRestUrl });
  const allFree = (o: ClusterOverview) => o.taskmanagers > 0 && o["slots-available"] === o["slots-total"];
  const o = await pollUntil(() => flink.clusterOverview(), allFree, 180_000, 1000);
  if (!allFree(o)) throw new Error(`the TaskManagers still run tasks of the killed JobManager after 180 s: ${o["slots-available"]} of ${o["slots-total"]} slots free`);
}

/** The newest retained checkpoint of a job (what a JobManager without HA restarts from). */
async function latestCheckpoint(jobId: string): Promise<string> {
  const dir = join(env.TRACKWAY_STATE_DIR!, "flink", "checkpoints", jobId);
  const chk = (await readdir(dir)).filter((d) => d.startsWith("chk-")).sort((a, b) => Number(b.slice(4)) - Number(a.slice(4)));
  for (const c of chk) if (await stat(join(dir, c, "_metadata")).then(() => true, () => false)) return join(dir, c);
  throw new Error(`no completed checkpoint of job ${jobId} in ${dir}`);
}

describe("the warehouse after a crash", () => {
  it("recovers from kill -9 of the TaskManager: every acknowledged event once in ods_events, DWS equal to BATCH", async () => {
    for (const name of JOBS) jobIds.set(name, (await runJob(await gateway().openSession({ name }), wh, name, "STREAMING", values)).flinkJobId);
    reader = await readerSession(endpoints, wh, values);
    const t = Date.now();
    const sending = stream(8_000);
    for (const id of jobIds.values()) await checkpointed(id, t);
    await killPart("flink-taskmanager", { env });
    await ensureStack({ env }); // starts a new TaskManager; the jobs restart from their last checkpoints
    await sending;
    await stream(4_000);
    await client.flush();
    expect(log.drops).toEqual([]);
    await expectOdsExactlyOnce();
    await expectDwsEqualsBatch();
  }, 900_000);

  it("recovers from kill -9 of the JobManager: the jobs resume from their retained checkpoints", async () => {
    // The DWS jobs were cancelled for the BATCH comparison; run them streaming again, then crash the JobManager.
    for (const name of JOBS.slice(1)) jobIds.set(name, (await runJob(await gateway().openSession({ name }), wh, name, "STREAMING", values)).flinkJobId);
    const t = Date.now();
    const sending = stream(8_000);
    for (const id of jobIds.values()) await checkpointed(id, t);
    await killPart("flink-jobmanager", { env });
    await sending;
    await ensureStack({ env });
    await zombiesGone();
    // Without JobManager HA the running jobs die with it; each is submitted again from its newest checkpoint.
    for (const name of JOBS) {
      const session = await gateway().openSession({ name: `${name}-resume` });
      await session.execute(`SET 'execution.savepoint.path' = '${await latestCheckpoint(jobIds.get(name)!)}'`);
      jobIds.set(name, (await runJob(session, wh, name, "STREAMING", values)).flinkJobId);
    }
    await stream(4_000);
    await client.flush();
    expect(log.drops).toEqual([]);
    await reader.close().catch(() => {});
    reader = await readerSession(endpoints, wh, values);
    await expectOdsExactlyOnce();
    await expectDwsEqualsBatch();
  }, 900_000);
});
