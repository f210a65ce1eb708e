// bench/query: latency of the compute gateway's event-count and funnel queries over 1M events in ods_events,
// each as p50 of several runs, printed as a ratio to a baseline measured in the same run (SELECT COUNT(*)
// over the same table, through the same gateway).
// Run: npx tsx bench/query/run.ts [--out bench/query/RESULTS.md]   (the stack must be up: npm run stack -- up)
// BENCH_ROWS (default 1000000), BENCH_RUNS (7), BENCH_REGENERATE=1 (rebuild the table even if it exists).
import { existsSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import { ComputeGatewayConfig, startComputeGateway } from "@trackway/compute-gateway";
import { createPool } from "@trackway/db";
import { ApiKeyStore } from "@trackway/auth";
import { ComputeServiceClient, CountEventsRequest, CountUniqueUsersRequest, FunnelRequest, Granularity, QueryRequest, type QueryResponse } from "@trackway/proto/compute/v1";
import { configOf, silentLogger } from "@trackway/runtime";
import { SqlGatewayClient } from "@trackway/flink";
import { ensureStack } from "@trackway/stack";
import { loadWarehouse, tableStatements } from "@trackway/warehouse";
import { sleep } from "../../tests/support/index.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const out = process.argv.includes("--out") ? process.argv[process.argv.indexOf("--out") + 1] : undefined;
const DAYS = 7;
const START = Date.UTC(2026, 10, 1);
const range = { start: new Date(START), end: new Date(START + DAYS * 86_400_000) };
const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

const endpoints = await ensureStack();
const base = `${endpoints.hudiBasePath}/bench-query-${ROWS}`;
// Written after a complete generation only, so an interrupted one is redone.
const marker = fileURLToPath(`${base}/GENERATED`);

/** Writes ROWS events with Flink SQL in BATCH mode: datagen → ods_events (90% tenant `bench`, 10% `other`). */
async function generate(): Promise<number> {
  await rm(fileURLToPath(base), { recursive: true, force: true });
  const gateway = new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl, pollIntervalMs: 100 });
  const wh = await loadWarehouse();
  const t0 = performance.now();
  const jobId = await gateway.withSession(async (s) => {
    await s.execute("SET 'execution.runtime-mode' = 'batch'");
    for (const st of tableStatements(wh, ["ods_events"], { hudi_base_path: base, ods_streaming_read: "false", ods_read_start_commit: "earliest" })) await s.execute(st);
    await s.execute(`CREATE TEMPORARY TABLE gen (seq BIGINT, u INT, n INT, t INT, x INT) WITH (
      'connector' = 'datagen', 'number-of-rows' = '${ROWS}',
      'fields.seq.kind' = 'sequence', 'fields.seq.start' = '1', 'fields.seq.end' = '${ROWS}',
      'fields.u.min' = '1', 'fields.u.max' = '50000', 'fields.n.min' = '0', 'fields.n.max' = '9',
      'fields.t.min' = '0', 'fields.t.max' = '${DAYS * 86_400 - 1}', 'fields.x.min' = '0', 'fields.x.max' = '9')`);
    const r = await s.execute(`INSERT INTO ods_events (event_id, tenant, event_name, schema_id, schema_version, event_time, received_at, user_key, user_id, properties, event_date)
      SELECT CONCAT('e', CAST(seq AS STRING)), CASE WHEN x = 0 THEN 'other' ELSE 'bench' END,
        CASE WHEN n < 5 THEN 'view' WHEN n < 8 THEN 'add' ELSE 'buy' END, CAST(1 AS BIGINT), 1, ts, ts,
        CONCAT('u', CAST(u AS STRING)), CONCAT('u', CAST(u AS STRING)), '{}', DATE_FORMAT(ts, 'yyyy-MM-dd')
      FROM (SELECT *, TIMESTAMPADD(SECOND, t, TIMESTAMP '2026-11-01 00:00:00') AS ts FROM gen)`);
    return r.jobId!;
  });
  for (;;) {
    const j = (await (await fetch(`${endpoints.flinkRestUrl}/jobs/${jobId}`)).json()) as { state: string };
    if (j.state === "FINISHED") break;
    if (["FAILED", "CANCELED"].includes(j.state)) throw new Error(`generating the table: Flink job ${jobId} ${j.state}`);
    await sleep(1000);
  }
  return (performance.now() - t0) / 1000;
}

let generatedS: number | undefined;
if (process.env.BENCH_REGENERATE || !existsSync(marker)) {
  console.error(`… generating ${ROWS} events under ${base}`);
  generatedS = await generate();
  await writeFile(marker, `${ROWS}\n`);
  console.error(`✓ generated in ${generatedS.toFixed(1)} s`);
}

const pool = createPool(endpoints.databaseUrl, { max: 1 });
const { key } = await new ApiKeyStore(pool).create({ tenant: "bench", name: "bench/query" });
const service = await startComputeGateway(configOf(ComputeGatewayConfig, { TRACKWAY_COMPUTE_PORT: 0, TRACKWAY_COMPUTE_METRICS_PORT: 0, DATABASE_URL: endpoints.databaseUrl, TRACKWAY_HUDI_BASE_PATH: base, TRACKWAY_LOG_LEVEL: "silent" }), silentLogger);
const client = new ComputeServiceClient(service.address, credentials.createInsecure());
const md = new Metadata();
md.set("x-api-key", key);
const unary = <Res>(method: "countEvents" | "countUniqueUsers" | "funnel", req: unknown) =>
  new Promise<Res>((resolve, reject) =>
    (client[method] as unknown as (r: unknown, m: Metadata, cb: (e: ServiceError | null, r?: Res) => void) => void).call(client, req, md, (e, r) => (e ? reject(e) : resolve(r!))),
  );
const sql = (text: string) =>
  new Promise<unknown[][]>((resolve, reject) => {
    const rows: unknown[][] = [];
    const s = client.query(QueryRequest.fromPartial({ sql: text }), md);
    s.on("data", (m: QueryResponse) => m.kind?.$case === "rows" && rows.push(...m.kind.value.rows.map((r) => r.values.map((v) => v.kind?.value))));
    s.on("end", () => resolve(rows));
    s.on("error", reject);
  });

const cases: { name: string; what: string; run: () => Promise<unknown> }[] = [
  { name: "baseline", what: "`SELECT COUNT(*) FROM ods_events` (Query RPC)", run: () => sql("SELECT COUNT(*) FROM ods_events") },
  { name: "CountEvents HOUR", what: "CountEvents, 7 days by hour, all names", run: () => unary("countEvents", CountEventsRequest.fromPartial({ range, granularity: Granularity.GRANULARITY_HOUR })) },
  { name: "CountEvents DAY, one name", what: "CountEvents, 7 days by day, `buy` only", run: () => unary("countEvents", CountEventsRequest.fromPartial({ range, granularity: Granularity.GRANULARITY_DAY, eventNames: ["buy"] })) },
  { name: "CountUniqueUsers DAY", what: "CountUniqueUsers, 7 days by day + total", run: () => unary("countUniqueUsers", CountUniqueUsersRequest.fromPartial({ range, granularity: Granularity.GRANULARITY_DAY })) },
  { name: "Funnel 3 steps, 1h", what: "Funnel view → add → buy, window 1 h, 7 days", run: () => unary("funnel", FunnelRequest.fromPartial({ range, steps: ["view", "add", "buy"], window: { seconds: 3600, nanos: 0 } })) },
  { name: "SQL GROUP BY name", what: "`SELECT event_name, COUNT(*) … GROUP BY event_name` (Query RPC)", run: () => sql("SELECT event_name, COUNT(*) FROM ods_events GROUP BY event_name") },
];

const tenantRows = ((await sql("SELECT COUNT(*) FROM ods_events"))[0]?.[0] as number) ?? 0;
if (tenantRows < ROWS * 0.8) throw new Error(`tenant bench has ${tenantRows} rows, expected about ${ROWS * 0.9}: rerun with BENCH_REGENERATE=1`);
const results: { name: string; what: string; ms: number[] }[] = [];
for (const c of cases) {
  await c.run(); // warm-up: planning caches, the session's first use
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await c.run();
    ms.push(performance.now() - t);
  }
  results.push({ name: c.name, what: c.what, ms });
  console.error(`✓ ${c.name}: p50 ${(p(ms, 0.5) / 1000).toFixed(2)} s`);
}
const funnelAnswer = await unary<{ steps: { eventName: string; users: number }[] }>("funnel", FunnelRequest.fromPartial({ range, steps: ["view", "add", "buy"], window: { seconds: 3600, nanos: 0 } }));
client.close();
await service.stop(1000);
await pool.end();

const baseline = p(results[0]!.ms, 0.5);
const lines = [
  "# bench/query — latest result",
  "",
  `Run ${new Date().toISOString()} on this machine (${cpus().length} cores, shared), Flink 1.17.2 + Hudi 0.14.0 (COPY_ON_WRITE, BUCKET index, 4 buckets), parallelism 1.`,
  `\`npx tsx bench/query/run.ts --out bench/query/RESULTS.md\` (BENCH_ROWS, BENCH_RUNS, BENCH_REGENERATE change the run).`,
  "",
  `Table: ${ROWS.toLocaleString("en")} events in \`ods_events\` over ${DAYS} days (${DAYS} event_date partitions), generated with Flink's datagen`,
  `connector in one BATCH INSERT${generatedS ? ` (${generatedS.toFixed(0)} s this run)` : " (reused from an earlier run)"}; 90% belong to tenant \`bench\` (${tenantRows.toLocaleString("en")} rows), whose key`,
  "the queries use, so every query also pays for the tenant view's filter. Users: 50,000; names: view 50%, add 30%, buy 20%.",
  "",
  `Each query ran once to warm up, then ${RUNS} times; end to end through gRPC (the gateway plans, submits a Flink job, collects rows).`,
  "",
  "| query | p50 (s) | min (s) | max (s) | p50 ÷ baseline |",
  "| --- | ---: | ---: | ---: | ---: |",
  ...results.map((r) => `| ${r.name === "baseline" ? "baseline: " : ""}${r.what} | ${(p(r.ms, 0.5) / 1000).toFixed(2)} | ${(Math.min(...r.ms) / 1000).toFixed(2)} | ${(Math.max(...r.ms) / 1000).toFixed(2)} | ${(p(r.ms, 0.5) / baseline).toFixed(2)} |`),
  "",
  `Funnel answer: ${funnelAnswer.steps.map((s) => `${s.eventName} ${s.users.toLocaleString("en")}`).join(" → ")}.`,
  "",
  "Every query is a Flink BATCH job on a shared 2-core machine: job submission and scheduling cost about as much as the",
  "baseline itself, so the ratios say how much each query adds on top of a full scan of the tenant's rows.",
  "CountEvents by hour spends most of its time on COUNT(DISTINCT user_key) over ~880,000 (hour, name, user) groups",
  "(an aggregate that spills with the TaskManager's small managed memory); counting events as COUNT(DISTINCT event_id)",
  "too took 12.8 s p50 on the same table (2026-11-25 run), which is why CountEvents counts rows (see structured-sql.ts).",
  "The funnel is one scan plus two MIN-aggregate joins (one per step after the first).",
];
const text = `${lines.join("\n")}\n`;
if (out) await writeFile(out, text);
process.stdout.write(text);
