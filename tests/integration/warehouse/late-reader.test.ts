import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { create } from "@bufbuild/protobuf";
import { createClient } from "@trackway/client";
import type { RunningIngest } from "@trackway/ingest";
import { SqlGatewayClient, type SqlGatewaySession } from "@trackway/flink";
import { ensureStack, type StackEndpoints } from "@trackway/stack";
import { loadWarehouse, runJob, type Warehouse } from "@trackway/warehouse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestWorld, type IngestWorld } from "../../support/index.js";
import { batchRows, cancelAll, jobValues, pollUntil, readerSession } from "../../support/flink-jobs.js";

// A DWS job started on an ods_events that has completed compactions and newer log files (after a crash, a new job,
// a rebuild) must read every row. With `read.streaming.skip_compaction` = true, Hudi 0.14's streaming read from
// `earliest` builds its file view without the compactions and drops the log files written after the last one
// (apache/hudi#18847): the fault test's restarted DWS jobs missed 4 of 10,400 events in CI.
let w: IngestWorld;
let ingest: RunningIngest;
let endpoints: StackEndpoints;
let wh: Warehouse;
let reader: SqlGatewaySession;
let values: Record<string, string>;
const jobs: (string | undefined)[] = [];
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const gateway = () => new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl });

async function send(from: number, count: number): Promise<void> {
  const client = createClient({ address: ingest.address, apiKey: w.apiKey, schemas: [w.orderV1], versions: { "shop.order_completed": 1 }, maxBatchEvents: 50 });
  for (let i = from; i < from + count; i++) client.track("shop.order_completed", create(w.orderV1, { orderId: `o-${i}` }), { eventId: `late-${run}-${i}`, identity: { userId: `u${i % 5}` } });
  await client.close();
}

const odsCount = async () => Number((await batchRows(reader, "SELECT COUNT(*) FROM ods_events"))[0]?.[0]);
/** Completed compactions of ods_events (a MERGE_ON_READ table's compaction completes as a `.commit` instant). */
const compactions = async () => (await readdir(`${fileURLToPath(values.hudi_base_path!)}/ods_events/.hoodie`)).filter((f) => f.endsWith(".commit")).length;

/** Streams the ODS job with these parameters until ods_events holds `rows`, then stops it. */
async function odsUntil(rows: number, params: Record<string, string>, until: () => Promise<boolean> = async () => true): Promise<void> {
  const id = (await runJob(await gateway().openSession({ name: `late-ods-${run}` }), wh, "ods_events", "STREAMING", { ...values, ...params })).flinkJobId;
  jobs.push(id);
  const n = await pollUntil(odsCount, (c) => c >= rows, 120_000);
  expect(n).toBe(rows);
  await pollUntil(until, (ok) => ok, 120_000);
  await cancelAll(endpoints.flinkRestUrl, [id]);
}

beforeAll(async () => {
  endpoints = await ensureStack();
  w = await ingestWorld();
  ingest = await w.startIngest();
  wh = await loadWarehouse();
  values = { ...jobValues(endpoints, w.topics, `late-reader-${run}`), checkpoint_interval: "2s" };
  reader = await readerSession(endpoints, wh, values);
});

afterAll(async () => {
  await cancelAll(endpoints.flinkRestUrl, jobs);
  await reader?.close().catch(() => {});
  await w?.stop();
});

describe("a DWS job started after ods_events was compacted", () => {
  it("counts the compacted rows and the rows in log files written after the compaction", async () => {
    // 1: 100 events, compacted after every commit, until a compaction completed.
    await send(0, 100);
    await odsUntil(100, { ods_compaction_delta_commits: "1" }, async () => (await compactions()) > 0);
    // 2: 50 more, the same consumer group, no compaction: they stay in log files of the compacted file groups.
    await send(100, 50);
    await odsUntil(150, { ods_compaction_delta_commits: "1000", ods_compaction_delta_seconds: "100000" });
    expect(await compactions()).toBeGreaterThan(0);
    // 3: the DWS tables, streaming from ods_events' earliest commit, count all 150.
    jobs.push((await runJob(await gateway().openSession({ name: `late-dws-${run}` }), wh, "dws", "STREAMING", values)).flinkJobId);
    const total = async () => Number((await batchRows(reader, "SELECT COALESCE(SUM(event_count), 0) FROM dws_event_counts_hourly"))[0]?.[0]);
    const counted = await pollUntil(total, (n) => n >= 150, 120_000);
    // A reader that dropped rows stays below 150 (it ended at 100 with skip_compaction = true); one reading rows twice passes it.
    expect(counted).toBe(150);
  }, 600_000);
});
