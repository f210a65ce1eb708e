// bench/warehouse: freshness of ods_events (acknowledged send → row visible to a BATCH query) and the ODS
// job's throughput, each printed with a baseline measured in the same run.
// Run: npx tsx bench/warehouse/run.ts   (the stack must be up: npm run stack -- up)
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { createClient } from "@trackway/client";
import { createKafka } from "@trackway/kafka";
import { silentLogger } from "@trackway/runtime";
import { SqlGatewayClient } from "@trackway/flink";
import { ensureStack } from "@trackway/stack";
import { loadWarehouse, runJob, tableStatements } from "@trackway/warehouse";
import { ingestWorld, sleep } from "../../tests/support/index.js";
import { batchRows, cancelAll, waitFinished } from "../../tests/support/flink-jobs.js";

const CHECKPOINT = process.env.BENCH_CHECKPOINT ?? "2s";
const PROBES = Number(process.env.BENCH_PROBES ?? 20);
const THROUGHPUT_EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const endpoints = await ensureStack();
const w = await ingestWorld();
const ingest = await w.startIngest();
const wh = await loadWarehouse();
const run = Date.now().toString(36);
const gateway = new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl });
const values = {
  kafka_brokers: endpoints.kafkaBrokers.join(","),
  events_topic: w.topics.events,
  kafka_group_id: `bench-${run}`,
  hudi_base_path: `${endpoints.hudiBasePath}/bench-warehouse-${run}`,
  checkpoint_interval: CHECKPOINT,
};
const jobs: string[] = [];

// 1. Freshness: probes sent one by one through ingest while a poller runs batch queries.
console.error(`… freshness: ${PROBES} probes, checkpoint interval ${CHECKPOINT}`);
jobs.push((await runJob(await gateway.openSession({ name: "bench-ods" }), wh, "ods_events", "STREAMING", values)).flinkJobId);
const reader = await gateway.openSession({ name: "bench-reader" });
for (const st of tableStatements(wh, ["ods_events"], { ...values, ods_streaming_read: "false", ods_read_start_commit: "earliest" })) await reader.execute(st);
const queryMs: number[] = [];
const query = async () => {
  const t = performance.now();
  const rows = await batchRows(reader, "SELECT event_id FROM ods_events");
  queryMs.push(performance.now() - t);
  return new Set(rows.map((r) => String(r[0])));
};
await query(); // the first query pays for planning caches
const client = createClient({ address: ingest.address, apiKey: w.apiKey, schemas: [w.orderV2], versions: { "shop.order_completed": 2 }, maxBatchEvents: 1 });
const acked = new Map<string, number>();
const seen = new Map<string, number>();
let sending = true;
const sender = (async () => {
  for (let i = 0; i < PROBES; i++) {
    const id = `probe-${run}-${i}`;
    client.track("shop.order_completed", create(w.orderV2, { orderId: id }), { eventId: id });
    await client.flush();
    acked.set(id, Date.now());
    await sleep(1500 + Math.random() * 1000);
  }
  sending = false;
})();
while (sending || seen.size < acked.size) {
  const visible = await query();
  const now = Date.now();
  for (const id of acked.keys()) if (visible.has(id) && !seen.has(id)) seen.set(id, now);
  if (!sending && Date.now() - Math.max(...acked.values()) > 120_000) break;
}
await sender;
await client.close();
const latencies = [...seen.entries()].map(([id, t]) => (t - acked.get(id)!) / 1000);
const q50 = pct(queryMs, 50) / 1000;

// 2. Throughput: the same enriched JSON produced straight to a topic, then the ODS job in BATCH mode over it,
//    against a baseline job that reads the same topic with the same format into a blackhole sink.
console.error(`… throughput: ${THROUGHPUT_EVENTS} events`);
const topic = `bench.events.${run}`;
const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: "bench", requestTimeoutMs: 30_000 }, silentLogger);
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
const producer = kafka.producer();
await producer.connect();
const base = Date.parse("2026-11-20T00:00:00Z");
for (let i = 0; i < THROUGHPUT_EVENTS; i += 1000) {
  const messages = Array.from({ length: Math.min(1000, THROUGHPUT_EVENTS - i) }, (_, j) => {
    const n = i + j;
    const t = base + (n % 86_400) * 1000;
    return {
      key: `u${n % 5000}`,
      value: JSON.stringify({
        event_id: `bench-${n}`, event_name: n % 4 ? "shop.page_viewed" : "shop.order_completed", schema_id: 1, schema_version: 1,
        tenant: "bench", event_time: t, event_date: "2026-11-20", received_at: t + 50, sent_at: t + 10, clock_skew_ms: 40,
        identity_key: `u${n % 5000}`, user_id: `u${n % 5000}`, session_id: `s${n % 20000}`, app_name: "shop-web", app_version: "3.2.1",
        locale: "en-GB", library_name: "@trackway/client", library_version: "0.1.0", page_path: `/p/${n % 500}`, client_ip: "127.0.0.1",
        attributes: { region: "eu" }, properties: { page_type: "product", load_time_ms: n % 900 },
      }),
    };
  });
  await producer.send({ topic, messages });
}
await producer.disconnect();
await admin.disconnect();
const tv = { ...values, events_topic: topic, kafka_group_id: `bench-tp-${run}`, hudi_base_path: `${endpoints.hudiBasePath}/bench-tp-${run}` };

const baselineSession = await gateway.openSession({ name: "bench-baseline" });
for (const st of tableStatements(wh, ["kafka_events"], { ...tv, kafka_bounded_mode: "latest-offset" })) await baselineSession.execute(st);
await baselineSession.execute("SET 'execution.runtime-mode' = 'batch'");
await baselineSession.execute("CREATE TEMPORARY TABLE sink_null WITH ('connector' = 'blackhole') LIKE kafka_events (EXCLUDING ALL)");
let t = performance.now();
const baseline = await baselineSession.execute("INSERT INTO sink_null SELECT * FROM kafka_events");
await waitFinished(endpoints.flinkRestUrl, baseline.jobId!, 600_000);
const baselineS = (performance.now() - t) / 1000;

t = performance.now();
const ods = await runJob(await gateway.openSession({ name: "bench-ods-batch" }), wh, "ods_events", "BATCH", tv);
await waitFinished(endpoints.flinkRestUrl, ods.flinkJobId, 600_000);
const odsS = (performance.now() - t) / 1000;

await cancelAll(endpoints.flinkRestUrl, jobs);
await w.stop();

const lines = [
  "# bench/warehouse — latest result",
  "",
  `Run ${new Date().toISOString()} on this machine (2 cores, shared), Flink 1.17.2 + Hudi 0.14.0 (COPY_ON_WRITE, BUCKET index), parallelism 1.`,
  "`npx tsx bench/warehouse/run.ts` (BENCH_CHECKPOINT, BENCH_PROBES, BENCH_EVENTS change the run).",
  "",
  "## Freshness: acknowledged send → row visible in `ods_events` to a BATCH query",
  "",
  `Checkpoint interval ${CHECKPOINT} (streaming Hudi writes commit on checkpoints). ${latencies.length} of ${PROBES} probes seen.`,
  "",
  "| measure | seconds | ratio to one batch query (baseline) |",
  "| --- | --- | --- |",
  `| p50 freshness | ${pct(latencies, 50).toFixed(1)} | ${(pct(latencies, 50) / q50).toFixed(1)}× |`,
  `| p95 freshness | ${pct(latencies, 95).toFixed(1)} | ${(pct(latencies, 95) / q50).toFixed(1)}× |`,
  `| baseline: p50 of one batch query over ods_events | ${q50.toFixed(1)} | 1× |`,
  "",
  "Goal: p50 < 30 s. The visibility time includes the polling query itself (one batch query per poll).",
  "",
  "## ODS job throughput (BATCH run over a topic of pre-produced enriched events)",
  "",
  "| job | events | seconds | events/s | ratio to baseline |",
  "| --- | --- | --- | --- | --- |",
  `| baseline: same topic and json format → blackhole | ${THROUGHPUT_EVENTS} | ${baselineS.toFixed(1)} | ${Math.round(THROUGHPUT_EVENTS / baselineS)} | 1× |`,
  `| ods_events: Kafka → Hudi upsert by event_id | ${THROUGHPUT_EVENTS} | ${odsS.toFixed(1)} | ${Math.round(THROUGHPUT_EVENTS / odsS)} | ${(baselineS / odsS).toFixed(2)}× |`,
  "",
  "Seconds include job submission and start-up (a few seconds each on this machine).",
  "",
];
await writeFile(join(import.meta.dirname, "RESULTS.md"), lines.join("\n"));
console.log(lines.join("\n"));
process.exit(0);
