// bench/query: latency of the compute gateway's structured queries (counts, trends, funnel, retention, paths,
// stickiness) over 1M events in ods_events and the DWS tables built from them,
// each as p50 of several runs, printed as a ratio to a baseline measured in the same run (SELECT COUNT(*)
// over the same table, through the same gateway).
// Run: npx tsx bench/query/run.ts [--out bench/query/RESULTS.md]
// It starts a stack of its own (engines only: its own state dir and ports, see OWN_STACK below) so that loading
// 1M events and the queries' jobs never touch another stack's TaskManager, and stops it at the end
// (BENCH_KEEP_STACK=1 keeps it, and its table, for the next run). BENCH_SHARED_STACK=1 uses the stack of
// TRACKWAY_STATE_DIR instead (its own Hudi base path and tenant still keep it apart from the stack's tables).
// BENCH_ROWS (default 1000000), BENCH_RUNS (5), BENCH_REGENERATE=1 (rebuild the table even if it exists),
// BENCH_EXPLAIN=1 (also print Flink's plan of the funnel).
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import { ComputeGatewayConfig, funnelAnalyticsSql, startComputeGateway } from "@trackway/compute-gateway";
import { createPool, defaultMigrationsDir, migrate } from "@trackway/db";
import { ApiKeyStore } from "@trackway/auth";
import {
  ComputeServiceClient,
  CountEventsRequest,
  CountUniqueUsersRequest,
  FunnelRequest,
  Granularity,
  Measure,
  PathDirection,
  PathsRequest,
  QueryRequest,
  RetentionRequest,
  StickinessRequest,
  TrendsRequest,
  type QueryResponse,
} from "@trackway/proto/compute/v1";
import { configOf, silentLogger } from "@trackway/runtime";
import { SqlGatewayClient } from "@trackway/flink";
import { down, ensureStack } from "@trackway/stack";
import { loadWarehouse, runJob, tableStatements } from "@trackway/warehouse";
import { sleep, startTestRegistry } from "../../tests/support/index.js";
import { previousFunnelSql } from "./previous-funnel-sql.js";

/** The bench's own stack: a state dir and ports no other stack uses (bench/pipeline's own stack uses 2xxxx). */
const OWN_STACK = {
  TRACKWAY_STATE_DIR: join(tmpdir(), "trackway-bench-query"),
  TRACKWAY_KAFKA_PORT: "39092",
  TRACKWAY_KAFKA_CONTROLLER_PORT: "39093",
  TRACKWAY_FLINK_REST_PORT: "38081",
  TRACKWAY_FLINK_RPC_PORT: "36123",
  TRACKWAY_SQL_GATEWAY_PORT: "38083",
  TRACKWAY_PG_PORT: "35432",
};
const ownStack = !process.env.BENCH_SHARED_STACK;
// Set before anything reads the stack's config (the test registry and the gateway read it from the environment).
if (ownStack) Object.assign(process.env, OWN_STACK);

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const out = process.argv.includes("--out") ? process.argv[process.argv.indexOf("--out") + 1] : undefined;
const DAYS = 7;
const START = Date.UTC(2026, 10, 1);
const range = { start: new Date(START), end: new Date(START + DAYS * 86_400_000) };
const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

const stackStart = performance.now();
const endpoints = await ensureStack();
const stackS = (performance.now() - stackStart) / 1000;
// v2: events carry typed properties (page_type, load_time_ms) for the trends breakdown.
const base = `${endpoints.hudiBasePath}/bench-query-v2-${ROWS}`;
// Written after a complete generation only, so an interrupted one is redone.
const marker = fileURLToPath(`${base}/GENERATED`);

/**
 * Writes ROWS events with Flink SQL in BATCH mode: datagen → ods_events (90% tenant `bench`, 10% `other`), as a
 * Hudi bulk insert (parquet files written straight from the input: no write buffers to hold 1M rows, no log
 * files to merge on read), with 2 tasks (the machine's cores). The input is not sorted by file group: Hudi's
 * sorter needs the Flink planner's code generator, which the loader-isolated planner does not expose to it.
 */
async function generate(): Promise<number> {
  await rm(fileURLToPath(base), { recursive: true, force: true });
  const gateway = new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl, pollIntervalMs: 100 });
  const wh = await loadWarehouse();
  const t0 = performance.now();
  const jobId = await gateway.withSession(async (s) => {
    await s.execute("SET 'execution.runtime-mode' = 'batch'");
    await s.execute("SET 'parallelism.default' = '2'");
    for (const st of tableStatements(wh, ["ods_events"], { hudi_base_path: base, ods_streaming_read: "false", ods_read_start_commit: "earliest", ods_write_tasks: "2" })) await s.execute(st);
    await s.execute(`CREATE TEMPORARY TABLE gen (seq BIGINT, u INT, n INT, t INT, x INT) WITH (
      'connector' = 'datagen', 'number-of-rows' = '${ROWS}',
      'fields.seq.kind' = 'sequence', 'fields.seq.start' = '1', 'fields.seq.end' = '${ROWS}',
      'fields.u.min' = '1', 'fields.u.max' = '50000', 'fields.n.min' = '0', 'fields.n.max' = '9',
      'fields.t.min' = '0', 'fields.t.max' = '${DAYS * 86_400 - 1}', 'fields.x.min' = '0', 'fields.x.max' = '9')`);
    const r = await s.execute(`INSERT INTO ods_events /*+ OPTIONS('write.operation' = 'bulk_insert', 'write.bulk_insert.sort_input' = 'false') */ (event_id, tenant, event_name, schema_id, schema_version, event_time, received_at, user_key, user_id, properties, event_date)
      SELECT CONCAT('e', CAST(seq AS STRING)), CASE WHEN x = 0 THEN 'other' ELSE 'bench' END,
        CASE WHEN n < 5 THEN 'view' WHEN n < 8 THEN 'add' ELSE 'buy' END, CAST(1 AS BIGINT), 1, ts, ts,
        CONCAT('u', CAST(u AS STRING)), CONCAT('u', CAST(u AS STRING)),
        CONCAT('{"page_type":"p', CAST(MOD(u, 20) AS STRING), '","load_time_ms":', CAST(MOD(t, 5000) AS STRING), '}'), DATE_FORMAT(ts, 'yyyy-MM-dd')
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

/** Runs the DWS activity jobs in BATCH mode over the generated ods_events (what STREAMING runs keep up to date). */
async function buildDws(): Promise<number> {
  const gateway = new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl, pollIntervalMs: 100 });
  const wh = await loadWarehouse();
  const t0 = performance.now();
  for (const job of ["dws_event_activity_hourly", "dws_event_activity_daily"]) {
    const { flinkJobId } = await gateway.withSession((s) => runJob(s, wh, job, "BATCH", { hudi_base_path: base }));
    for (;;) {
      const j = (await (await fetch(`${endpoints.flinkRestUrl}/jobs/${flinkJobId}`)).json()) as { state: string };
      if (j.state === "FINISHED") break;
      if (["FAILED", "CANCELED"].includes(j.state)) throw new Error(`${job}: Flink job ${flinkJobId} ${j.state}`);
      await sleep(1000);
    }
  }
  return (performance.now() - t0) / 1000;
}

let generatedS: number | undefined;
let dwsS: number | undefined;
if (process.env.BENCH_REGENERATE || !existsSync(marker)) {
  console.error(`… generating ${ROWS} events under ${base}`);
  generatedS = await generate();
  console.error(`✓ generated in ${generatedS.toFixed(1)} s`);
  dwsS = await buildDws();
  console.error(`✓ DWS tables built in ${dwsS.toFixed(1)} s`);
  await writeFile(marker, `${ROWS}\n`);
}
if (process.env.BENCH_PREPARE_ONLY) process.exit(0);

// The typed view dwd_view (page_type, load_time_ms) comes from a registered schema, as in production.
const registry = await startTestRegistry();
const proto = await readFile(new URL("../../examples/proto/shop/v1/page_viewed.proto", import.meta.url), "utf8");
await registry.client.registerSchema({ subject: "view", protoSource: proto, messageName: "shop.v1.PageViewed", author: "bench/query" });

const pool = createPool(endpoints.databaseUrl, { max: 1 });
await migrate(pool, defaultMigrationsDir); // the bench's own stack starts with an empty database
const { key } = await new ApiKeyStore(pool).create({ tenant: "bench", name: "bench/query" });
const service = await startComputeGateway(configOf(ComputeGatewayConfig, { TRACKWAY_COMPUTE_PORT: 0, TRACKWAY_COMPUTE_METRICS_PORT: 0, DATABASE_URL: endpoints.databaseUrl, TRACKWAY_SQL_GATEWAY_URL: endpoints.sqlGatewayUrl, TRACKWAY_FLINK_REST_URL: endpoints.flinkRestUrl, TRACKWAY_KAFKA_BROKERS: endpoints.kafkaBrokers.join(","), TRACKWAY_HUDI_BASE_PATH: base, TRACKWAY_REGISTRY_ADDRESS: registry.registry.address, TRACKWAY_REGISTRY_API_KEY: registry.admin.key, TRACKWAY_LOG_LEVEL: "silent" }), silentLogger);
const client = new ComputeServiceClient(service.address, credentials.createInsecure());
const md = new Metadata();
md.set("x-api-key", key);
type Method = "countEvents" | "countUniqueUsers" | "funnel" | "trends" | "retention" | "paths" | "stickiness";
const unary = <Res>(method: Method, req: unknown) =>
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
  { name: "Funnel SQL, previous", what: "the same funnel's previous SQL (a MIN-aggregate join per step), Query RPC", run: () => sql(previousFunnelSql(range, ["view", "add", "buy"], 3_600_000)) },
  { name: "Funnel SQL, now", what: "the same funnel's SQL now (one sort, a MIN window per step), Query RPC", run: () => sql(funnelAnalyticsSql({ range, steps: ["view", "add", "buy"], windowMs: 3_600_000, droppedAtStep: 0, actorsLimit: 100 })) },
  { name: "CountEvents HOUR, ods", what: "CountEvents, 7 days by hour, all names, from ods_events (range starts 1 s after midnight)", run: () => unary("countEvents", CountEventsRequest.fromPartial({ range: { start: new Date(START + 1000), end: range.end }, granularity: Granularity.GRANULARITY_HOUR })) },
  { name: "Trends DWS", what: "Trends, 7 days by day: `view` events + `buy` users (DWS)", run: () => unary("trends", TrendsRequest.fromPartial({ range, granularity: Granularity.GRANULARITY_DAY, series: [{ eventName: "view", measure: Measure.MEASURE_TOTAL }, { eventName: "buy", measure: Measure.MEASURE_UNIQUE_USERS }] })) },
  {
    name: "Trends property breakdown",
    what: "Trends, 7 days by day, `view` events + p90 load_time_ms, by typed property page_type (top 5 + $other)",
    run: () =>
      unary("trends", TrendsRequest.fromPartial({
        range, granularity: Granularity.GRANULARITY_DAY, breakdown: { kind: { $case: "property", value: "page_type" } }, breakdownLimit: 5,
        series: [{ eventName: "view", measure: Measure.MEASURE_TOTAL }, { eventName: "view", measure: Measure.MEASURE_PERCENTILE, property: "load_time_ms", percentile: 90 }],
      })),
  },
  { name: "Retention 7 days", what: "Retention, daily cohorts of `view` over 7 days, return on `buy`", run: () => unary("retention", RetentionRequest.fromPartial({ range, cohortEvent: "view", returnEvent: "buy", period: Granularity.GRANULARITY_DAY, periods: 7 })) },
  { name: "Paths depth 3", what: "Paths, next 3 steps after `add`, 7 days", run: () => unary("paths", PathsRequest.fromPartial({ range, startEvent: "add", direction: PathDirection.PATH_DIRECTION_NEXT, depth: 3, limit: 5 })) },
  { name: "Stickiness", what: "Stickiness of `view` over 7 days", run: () => unary("stickiness", StickinessRequest.fromPartial({ range, eventName: "view" })) },
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
// Flink's plan of the funnel, through the gateway (EXPLAIN of the statement Funnel runs): its shape in the result.
const funnelSpec = { range, steps: ["view", "add", "buy"], windowMs: 3_600_000, droppedAtStep: 0, actorsLimit: 100 };
const plan = await sql(`EXPLAIN ${funnelAnalyticsSql(funnelSpec)}`).then((rows) => String(rows[0]?.[0] ?? ""), (e: Error) => `EXPLAIN failed: ${e.message}`);
const executionPlan = plan.slice(plan.indexOf("== Optimized Execution Plan =="));
const planShape = ["TableSourceScan", "Exchange(distribution=[hash", "Exchange(distribution=[broadcast", "Sort(", "Join(", "OverAggregate(", "HashAggregate(", "SortAggregate("]
  .map((op) => `${op.replace(/\($/, "").replace("(distribution=[", " ")}: ${executionPlan.split(op).length - 1}`).join(", ");
if (process.env.BENCH_EXPLAIN) console.error(executionPlan);
// Every query must have run on this stack's cluster (the gateway's defaults would point at the shared one).
const ranHere = ((await (await fetch(`${endpoints.flinkRestUrl}/jobs/overview`)).json()) as { jobs: { name: string }[] }).jobs.filter((j) => j.name.startsWith("trackway-query:bench:")).length;
if (ranHere < cases.length) throw new Error(`only ${ranHere} query jobs ran on ${endpoints.flinkRestUrl}`);
const funnelAnswer = await unary<{ steps: { eventName: string; users: number }[] }>("funnel", FunnelRequest.fromPartial({ range, steps: ["view", "add", "buy"], window: { seconds: 3600, nanos: 0 } }));
const source = await unary<{ freshness?: { source: string } }>("countEvents", CountEventsRequest.fromPartial({ range, granularity: Granularity.GRANULARITY_HOUR }));
if (source.freshness?.source !== "dws_event_activity_hourly") throw new Error(`CountEvents by hour read ${source.freshness?.source}, not the DWS table`);
client.close();
await service.stop(1000);
await registry.stop();
await pool.end();

const baseline = p(results[0]!.ms, 0.5);
const ratio = (name: string) => p(results.find((r) => r.name === name)!.ms, 0.5) / baseline;
const lines = [
  "# bench/query — latest result",
  "",
  `Run ${new Date().toISOString()} on this machine (${cpus().length} cores), Flink 1.17.2 + Hudi 0.14.0 (ods_events MERGE_ON_READ, BUCKET index, 4 buckets), query parallelism 1,`,
  ownStack
    ? `on a stack of the bench's own (engines only, its own state dir and ports; ready in ${stackS.toFixed(0)} s, 0 when an earlier run left it up), under \`/work/briefs/run-quiet.sh\` (no other tests beside it).`
    : "on the stack of TRACKWAY_STATE_DIR (BENCH_SHARED_STACK=1), beside whatever else runs there.",
  `\`npx tsx bench/query/run.ts --out bench/query/RESULTS.md\` (BENCH_ROWS, BENCH_RUNS, BENCH_REGENERATE, BENCH_KEEP_STACK, BENCH_SHARED_STACK change the run).`,
  "",
  `Table: ${ROWS.toLocaleString("en")} events in \`ods_events\` over ${DAYS} days (${DAYS} event_date partitions), generated with Flink's datagen connector`,
  generatedS
    ? `in one BATCH Hudi bulk insert with 2 tasks: ${generatedS.toFixed(0)} s this run (${Math.round(ROWS / generatedS).toLocaleString("en")} events/s, job submission included);`
    : "in one BATCH Hudi bulk insert (reused from an earlier run);",
  `90% belong to tenant \`bench\` (${tenantRows.toLocaleString("en")} rows), whose key the queries use. The DWS tables \`dws_event_activity_hourly\` and \`_daily\``,
  `were built from it by their jobs in BATCH mode${dwsS ? ` (${dwsS.toFixed(0)} s this run)` : ""}; every query also pays for the tenant view's filter.`,
  "Users: 50,000; names: view 50%, add 30%, buy 20%; properties page_type (20 values), load_time_ms.",
  "",
  `Each query ran once to warm up, then ${RUNS} times; end to end through gRPC (the gateway plans, submits a Flink job, collects rows).`,
  "",
  "| query | p50 (s) | min (s) | max (s) | p50 ÷ baseline |",
  "| --- | ---: | ---: | ---: | ---: |",
  ...results.map((r) => `| ${r.name === "baseline" ? "baseline: " : ""}${r.what} | ${(p(r.ms, 0.5) / 1000).toFixed(2)} | ${(Math.min(...r.ms) / 1000).toFixed(2)} | ${(Math.max(...r.ms) / 1000).toFixed(2)} | ${(p(r.ms, 0.5) / baseline).toFixed(2)} |`),
  "",
  "Goals (issue 20):",
  `- Counts by hour ≤ 1.5× COUNT(*): **${ratio("CountEvents HOUR").toFixed(2)}×** (${ratio("CountEvents HOUR") <= 1.5 ? "met" : "not met"}; from \`dws_event_activity_hourly\`).`,
  `- Funnel, the same statement through the Query RPC: previous SQL ${ratio("Funnel SQL, previous").toFixed(2)}×, now ${ratio("Funnel SQL, now").toFixed(2)}×.`,
  `- Trends with a property breakdown ${ratio("Trends property breakdown").toFixed(2)}×, retention over 7 days ${ratio("Retention 7 days").toFixed(2)}×, paths ${ratio("Paths depth 3").toFixed(2)}×, funnel ${ratio("Funnel 3 steps, 1h").toFixed(2)}×.`,
  "",
  `Funnel answer: ${funnelAnswer.steps.map((s) => `${s.eventName} ${s.users.toLocaleString("en")}`).join(" → ")}.`,
  `Funnel plan (Flink's optimized execution plan, counted): ${planShape}.`,
  "",
  "Every query is a Flink BATCH job: job submission and scheduling cost about as much as the baseline itself, so the",
  "ratios say how much each query adds on top of a full scan of the tenant's rows.",
  "CountEvents by hour and the plain Trends read the DWS activity tables (a few thousand rows per tenant) instead of",
  "scanning ods_events; the same question from ods_events (the range moved off the hour bound) is the \"from ods_events\" row.",
  "The property breakdown reads the typed view dwd_view (JSON_VALUE per row) and ranks breakdown values; retention and",
  "paths (two MIN/MAX joins per step) join over the scan. The funnel sorts the steps' events once by user and finds each",
  "step with a whole-partition MIN window (no join per step; one GROUPING SETS aggregate for counts and time buckets).",
  "Each answer also reads its freshness.",
];
const text = `${lines.join("\n")}\n`;
if (out) await writeFile(out, text);
process.stdout.write(text);
// Last, so that a stack that will not stop cannot cost the result.
if (ownStack && !process.env.BENCH_KEEP_STACK) await down({ progress: "quiet" });
