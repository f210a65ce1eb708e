// bench/pipeline/ods-harness.ts: how fast the ODS job (alone, or beside the DWS jobs) drains a backlog of real
// ingest records, and what each event costs in CPU, per variant of its settings. Seeds a private topic through
// the SDK and ingest (ODS_EVENTS events, the bench's shape), then per variant starts ods_events in STREAMING from
// the topic's earliest offset into a fresh base path and times it until its committed offsets (committed with the
// Hudi commit) reach the topic's end. CPU is read from /proc (the whole machine and the TaskManager), so it
// needs the stack on this machine.
//   ODS_VARIANTS='[{"name":"base"},{"name":"snappy","replace":[["'"'"'compaction.tasks'"'"'","'"'"'hoodie.parquet.compression.codec'"'"' = '"'"'snappy'"'"', '"'"'compaction.tasks'"'"'"]]}]' \
//   npx tsx bench/pipeline/ods-harness.ts
// A variant: { name, checkpoint? (default 5s), params? (job parameters), replace? ([from, to] in table and job
// files), dws? (comma-separated DWS jobs streaming from the new ods_events beside it) }.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { SqlGatewayClient } from "@trackway/flink";
import { createKafka } from "@trackway/kafka";
import { silentLogger } from "@trackway/runtime";
import { ensureStack } from "@trackway/stack";
import { jobStatements, loadWarehouse, runJob, tableStatements, type Warehouse } from "@trackway/warehouse";
import { batchRows, cancelAll } from "../../tests/support/flink-jobs.js";
import { ingestWorld, sleep } from "../../tests/support/index.js";
import { OrderSender } from "./sender.js";

interface Variant { name: string; checkpoint?: string; params?: Record<string, string>; replace?: [string, string][]; dws?: string; dwsSet?: string; view?: string; sets?: Record<string, string> }
const N = Number(process.env.ODS_EVENTS ?? 200_000);
const variants = JSON.parse(process.env.ODS_VARIANTS ?? '[{"name":"base"}]') as Variant[];
const TIMEOUT_S = Number(process.env.ODS_TIMEOUT_S ?? 400);
const log = (m: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${m}`);

const endpoints = await ensureStack();
const w = await ingestWorld();
const ingest = await w.startIngest();
const topic = w.topics.events;
const sender = new OrderSender(ingest.address, w);
log(`seeding ${N} events into ${topic}`);
while (sender.seq < N) {
  sender.track(Math.min(20_000, N - sender.seq));
  await sender.flush();
}
await sender.close();
const admin = createKafka({ brokers: endpoints.kafkaBrokers, clientId: "ods-harness", requestTimeoutMs: 30_000 }, silentLogger).admin();
await admin.connect();
const high = (await admin.fetchTopicOffsets(topic)).reduce((a, p) => a + Number(p.high), 0);
log(`seeded: ${high} records`);

const gateway = new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl });
const tm = execFileSync("pgrep", ["-f", "TaskManagerRunner"]).toString().trim().split("\n")[0]!;
const jiffies = (pid?: string) => {
  if (!pid) return readFileSync("/proc/stat", "utf8").split("\n")[0]!.split(/\s+/).slice(1, 4).map(Number).reduce((a, b) => a + b, 0);
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(f[11]) + Number(f[12]);
};
const edit = (wh: Warehouse, v: Variant): Warehouse => {
  const ed = (body: string) => (v.replace ?? []).reduce((b, [from, to]) => b.split(from).join(to), body);
  const clone = (m: Warehouse["jobs"]) => new Map([...m].map(([k, f]) => [k, { ...f, body: ed(f.body) }]));
  return { jobs: clone(wh.jobs), tables: clone(wh.tables) };
};

const results: string[] = [];
for (const v of variants) {
  const tag = `${v.name.replace(/[^a-z0-9]/gi, "_")}-${Date.now().toString(36)}`;
  const wh = edit(await loadWarehouse(), v);
  const group = `ods-harness-${tag}`;
  const values = {
    kafka_brokers: endpoints.kafkaBrokers.join(","),
    events_topic: topic,
    kafka_group_id: group,
    kafka_startup_mode: "earliest-offset",
    hudi_base_path: `${endpoints.hudiBasePath}/ods-harness-${tag}`,
    checkpoint_interval: v.checkpoint ?? "5s",
    ...v.params,
  };
  log(`variant ${v.name}`);
  const ids: string[] = [];
  const t0 = performance.now();
  const [m0, tm0] = [jiffies(), jiffies(tm)];
  let doneS = NaN;
  let dwsS = NaN;
  try {
    ids.push((await runJob(await gateway.openSession({ name: `ods-harness-${v.name}` }), wh, "ods_events", "STREAMING", values)).flinkJobId);
    for (const name of (v.dws ?? "").split(",").filter(Boolean)) {
      ids.push((await runJob(await gateway.openSession({ name }), wh, name, "STREAMING", { ...values, ods_streaming_read: "true", ods_read_start_commit: "earliest" })).flinkJobId);
    }
    if (v.dwsSet) {
      const session = await gateway.openSession({ name: "dws-set" });
      for (const [k, val] of Object.entries(v.sets ?? {})) await session.execute(`SET '${k}' = '${val}'`);
      const seen = new Set<string>();
      const inserts: string[] = [];
      for (const name of v.dwsSet.split(",")) {
        for (const x of jobStatements(wh, name, "STREAMING", { ...values, ods_streaming_read: "true", ods_read_start_commit: "earliest" })) {
          if (/^INSERT/i.test(x)) inserts.push(v.view ? x.replace(/FROM ods_events\s+WHERE event_date >= '[^']*' AND event_date <= '[^']*'/, "FROM dws_events") : x);
          else if (!seen.has(x)) {
            seen.add(x);
            await session.execute(x);
          }
        }
      }
      if (v.view) await session.execute(v.view);
      const r = await session.execute(`EXECUTE STATEMENT SET BEGIN ${inserts.join(";\n")}; END`);
      ids.push(r.jobId!);
    }
    while ((performance.now() - t0) / 1000 < TIMEOUT_S) {
      await sleep(1000);
      const [g] = await admin.fetchOffsets({ groupId: group, topics: [topic] }).catch(() => [undefined]);
      const done = (g?.partitions ?? []).reduce((a, p) => a + Math.max(0, Number(p.offset)), 0);
      if (done >= high) {
        doneS = (performance.now() - t0) / 1000;
        break;
      }
    }
    // With DWS jobs: until dws_event_counts_hourly counted every event (its jobs commit on checkpoints).
    if (ids.length > 1) {
      const reader = await gateway.openSession({ name: "ods-harness-reader" });
      for (const st of tableStatements(wh, ["dws_event_counts_hourly"], values)) await reader.execute(st);
      while ((performance.now() - t0) / 1000 < TIMEOUT_S) {
        const n = Number((await batchRows(reader, "SELECT SUM(event_count) FROM dws_event_counts_hourly"))[0]?.[0] ?? 0);
        if (n >= high) {
          dwsS = (performance.now() - t0) / 1000;
          break;
        }
        await sleep(2000);
      }
    }
  } finally {
    await cancelAll(endpoints.flinkRestUrl, ids);
  }
  const [m1, tm1] = [jiffies(), jiffies(tm)];
  const elapsed = (performance.now() - t0) / 1000;
  const line = Number.isNaN(doneS)
    ? `${v.name}: NOT DONE in ${TIMEOUT_S} s`
    : `${v.name}: ${doneS.toFixed(1)} s → ${Math.round(high / doneS)} events/s; TaskManager ${(((tm1 - tm0) / 100) * 1e6 / high).toFixed(0)} µs CPU/event, machine ${(((m1 - m0) / 100) * 1e6 / high).toFixed(0)} µs CPU/event (${((m1 - m0) / elapsed).toFixed(0)}% of 200% over ${elapsed.toFixed(0)} s)${ids.length > 1 ? `; DWS counted all after ${dwsS.toFixed(1)} s` : ""}`;
  log(line);
  results.push(line);
  await sleep(5000);
}
console.log(results.join("\n"));
await admin.disconnect();
await w.stop();
process.exit(0);
