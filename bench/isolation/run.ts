// bench/isolation: how much a hostile tenant slows another tenant's small query (issue 13, finding 4). Tenant B's
// `SELECT COUNT(*) FROM ods_events` latency (p50) is measured idle, then while tenant A sends 4 MB statements,
// statements at the size cap, and keeps its slot quota busy with slow queries (retrying more all the time); the
// result is the ratio loaded ÷ idle (goal ≤ 3×). A second phase repeats the load with the per-tenant caps lifted
// (8 concurrent queries, no reserved slot), as before the fix, for comparison (BENCH_COMPARE=1).
// Run: npx tsx bench/isolation/run.ts [--out bench/isolation/RESULTS.md]   (the stack must be up)
// BENCH_ROWS (default 200000), BENCH_RUNS (5), BENCH_REGENERATE=1.
import { existsSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import { ApiKeyStore } from "@trackway/auth";
import { ComputeGatewayConfig, startComputeGateway } from "@trackway/compute-gateway";
import { createPool } from "@trackway/db";
import { FlinkRestClient, SqlGatewayClient } from "@trackway/flink";
import { ComputeServiceClient, QueryRequest, type QueryResponse } from "@trackway/proto/compute/v1";
import { configOf, reasonOf, silentLogger, type RunningService } from "@trackway/runtime";
import { ensureStack } from "@trackway/stack";
import { loadWarehouse, tableStatements } from "@trackway/warehouse";
import { slowQuery } from "../../tests/support/index.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
// B waits at most this long per query; a query that takes longer counts as this long (and is noted).
const B_TIMEOUT_S = 60;
const out = process.argv.includes("--out") ? process.argv[process.argv.indexOf("--out") + 1] : undefined;
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const endpoints = await ensureStack();
const flink = new FlinkRestClient({ baseUrl: endpoints.flinkRestUrl });
const base = `${endpoints.hudiBasePath}/bench-isolation-${ROWS}`;
const marker = fileURLToPath(`${base}/GENERATED`);

/** Writes ROWS events with Flink's datagen in one BATCH INSERT: half tenant `iso-a`, half `iso-b`. */
async function generate(): Promise<void> {
  await rm(fileURLToPath(base), { recursive: true, force: true });
  const gateway = new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl, pollIntervalMs: 100 });
  const wh = await loadWarehouse();
  const jobId = await gateway.withSession(async (s) => {
    await s.execute("SET 'execution.runtime-mode' = 'batch'");
    for (const st of tableStatements(wh, ["ods_events"], { hudi_base_path: base, ods_streaming_read: "false", ods_read_start_commit: "earliest" })) await s.execute(st);
    await s.execute(`CREATE TEMPORARY TABLE gen (seq BIGINT, u INT, t INT) WITH (
      'connector' = 'datagen', 'number-of-rows' = '${ROWS}',
      'fields.seq.kind' = 'sequence', 'fields.seq.start' = '1', 'fields.seq.end' = '${ROWS}',
      'fields.u.min' = '1', 'fields.u.max' = '5000', 'fields.t.min' = '0', 'fields.t.max' = '86399')`);
    const r = await s.execute(`INSERT INTO ods_events (event_id, tenant, event_name, schema_id, schema_version, event_time, received_at, user_key, user_id, properties, event_date)
      SELECT CONCAT('e', CAST(seq AS STRING)), CASE WHEN MOD(seq, 2) = 0 THEN 'iso-a' ELSE 'iso-b' END, 'tick', CAST(1 AS BIGINT), 1, ts, ts,
        CONCAT('u', CAST(u AS STRING)), CONCAT('u', CAST(u AS STRING)), '{}', DATE_FORMAT(ts, 'yyyy-MM-dd')
      FROM (SELECT *, TIMESTAMPADD(SECOND, t, TIMESTAMP '2026-11-01 00:00:00') AS ts FROM gen)`);
    return r.jobId!;
  });
  await flink.waitFinished(jobId, 600_000);
}

if (process.env.BENCH_REGENERATE || !existsSync(marker)) {
  console.error(`… generating ${ROWS} events under ${base}`);
  await generate();
  await writeFile(marker, `${ROWS}\n`);
}

const db = createPool(endpoints.databaseUrl, { max: 1 });
const keys = new ApiKeyStore(db);
const keyA = (await keys.create({ tenant: "iso-a", name: "bench/isolation" })).key;
const keyB = (await keys.create({ tenant: "iso-b", name: "bench/isolation" })).key;

// Each slow query holds its slots until its timeout, then stops when cancelled (tests/support/slow-query.ts): a
// chained self join on `<` did too, but ignored the cancel and Flink's watchdog then killed the TaskManager.
const SLOW = slowQuery(ROWS / 2);
const HUGE = `SELECT '${"x".repeat(4 * 2 ** 20)}' FROM ods_events`;
const AT_CAP = `SELECT COUNT(*) FROM ods_events WHERE event_name IN (${Array.from({ length: 900 }, (_, i) => `'name_${i}_${"x".repeat(60)}'`).join(",")})`;

interface Phase {
  label: string;
  settings: Record<string, string | number>;
  slowQueries: number;
}

async function runPhase(phase: Phase) {
  const service: RunningService = await startComputeGateway(
    configOf(ComputeGatewayConfig, {
      TRACKWAY_COMPUTE_PORT: 0,
      TRACKWAY_COMPUTE_METRICS_PORT: 0,
      DATABASE_URL: endpoints.databaseUrl,
      TRACKWAY_SQL_GATEWAY_URL: endpoints.sqlGatewayUrl,
      TRACKWAY_FLINK_REST_URL: endpoints.flinkRestUrl,
      TRACKWAY_HUDI_BASE_PATH: base,
      TRACKWAY_LOG_LEVEL: "silent",
      ...phase.settings,
    }),
    silentLogger,
  );
  const client = new ComputeServiceClient(service.address, credentials.createInsecure(), { "grpc.max_send_message_length": 8 * 2 ** 20 });
  const md = (key: string) => {
    const m = new Metadata();
    m.set("x-api-key", key);
    return m;
  };
  const query = (key: string, sql: string, timeoutS = 120) =>
    new Promise<unknown[][]>((resolve, reject) => {
      const rows: unknown[][] = [];
      const s = client.query(QueryRequest.fromPartial({ sql, timeout: { seconds: timeoutS, nanos: 0 } }), md(key));
      s.on("data", (m: QueryResponse) => m.kind?.$case === "rows" && rows.push(...m.kind.value.rows.map((r) => r.values.map((v) => v.kind?.value))));
      s.on("end", () => resolve(rows));
      s.on("error", (e: ServiceError) => reject(e));
    });
  let bTimeouts = 0;
  const timeB = async () => {
    const t = performance.now();
    try {
      const rows = await query(keyB, "SELECT COUNT(*) FROM ods_events", B_TIMEOUT_S);
      if (Number(rows[0]?.[0]) !== ROWS / 2) throw new Error(`tenant B counted ${String(rows[0]?.[0])}, expected ${ROWS / 2}`);
    } catch (e) {
      if (reasonOf(e) !== "QUERY_TIMEOUT") throw e;
      bTimeouts++;
    }
    return performance.now() - t;
  };

  await timeB(); // warm-up: B's session and views
  await query(keyA, "SELECT COUNT(*) FROM ods_events").catch(() => undefined);
  const idle: number[] = [];
  for (let i = 0; i < RUNS; i++) idle.push(await timeB());
  const idleTimeouts = bTimeouts;
  bTimeouts = 0;
  console.error(`${phase.label}: B idle p50 ${(p50(idle) / 1000).toFixed(2)} s`);

  // Tenant A's load: slow queries kept running (resubmitted as they end), 4 MB and cap-sized statements in a loop.
  let stop = false;
  const counts = new Map<string, number>();
  const count = (what: string) => counts.set(what, (counts.get(what) ?? 0) + 1);
  const outcome = (e: unknown) => count(reasonOf(e) ?? `gRPC ${(e as ServiceError).code}`);
  // Each loop pauses 100 ms between statements: the attacker shares this process (and its 2 cores) with the gateway.
  const loop = async (sql: string, timeoutS: number, done: string) => {
    while (!stop) {
      await query(keyA, sql, timeoutS).then(() => count(done), outcome);
      await sleep(100);
    }
  };
  const loops = [...Array.from({ length: phase.slowQueries }, () => loop(SLOW, 60, "slow query finished")), loop(HUGE, 60, "4 MB answered"), loop(AT_CAP, 60, "cap-sized answered")];
  // Let A's jobs take their slots before B measures.
  await sleep(8000);
  const aJobs = (await flink.jobsNamed("trackway-query:iso-a:")).filter((j) => j.state === "RUNNING").length;
  const loaded: number[] = [];
  for (let i = 0; i < RUNS; i++) loaded.push(await timeB());
  stop = true;
  console.error(`${phase.label}: B loaded p50 ${(p50(loaded) / 1000).toFixed(2)} s (A running ${aJobs} jobs)`);
  client.close();
  await service.stop(1000);
  for (const j of await flink.jobsNamed("trackway-query:iso-a:")) await flink.cancelAndWait(j.jid, 30_000).catch(() => undefined);
  await Promise.allSettled(loops);
  return { phase, idle, loaded, aJobs, counts, idleTimeouts, loadedTimeouts: bTimeouts };
}

// BENCH_COMPARE=1 adds the phase without caps (it can hold every free slot of the shared cluster for minutes).
const phases: Phase[] = [{ label: "capped (defaults)", settings: {}, slowQueries: 4 }];
if (process.env.BENCH_COMPARE) {
  phases.push({ label: "caps lifted (as before)", settings: { TRACKWAY_COMPUTE_TENANT_MAX_QUERIES: 8, TRACKWAY_COMPUTE_RESERVED_SLOTS: 0, TRACKWAY_COMPUTE_MAX_QUERY_TIMEOUT: "10m" }, slowQueries: 6 });
}
const results = [];
for (const ph of phases) results.push(await runPhase(ph));
await db.end();

const overview = await flink.clusterOverview();
const lines = [
  "# bench/isolation — latest result",
  "",
  `Run ${new Date().toISOString()} on this machine (${cpus().length} cores, shared with other sessions' tests), Flink 1.17.2, ${overview["slots-total"]} task slots in all (other sessions' jobs hold some).`,
  "`npx tsx bench/isolation/run.ts --out bench/isolation/RESULTS.md` (BENCH_ROWS, BENCH_RUNS, BENCH_REGENERATE change the run).",
  "",
  `Table: ${ROWS.toLocaleString("en")} events in \`ods_events\`, half tenant \`iso-a\` (the attacker), half \`iso-b\`. Tenant B's query: \`SELECT COUNT(*) FROM ods_events\` (its view), ${RUNS} runs each, p50.`,
  "Tenant A's load while B measures: slow cross joins that stop when cancelled (tests/support/slow-query.ts) kept running (resubmitted as they end or are refused), 4 MB statements",
  "and statements just under the 64 kB cap in a loop.",
  "",
  `B's query times out after ${B_TIMEOUT_S} s; a timed-out run counts as ${B_TIMEOUT_S} s (the last column counts them).`,
  "",
  "| phase | B idle p50 (s) | B loaded p50 (s) | loaded ÷ idle | A's running Flink jobs | what A's statements got | B timeouts (idle / loaded) |",
  "| --- | ---: | ---: | ---: | ---: | --- | ---: |",
  ...results.map(
    (r) =>
      `| ${r.phase.label} | ${(p50(r.idle) / 1000).toFixed(2)} | ${(p50(r.loaded) / 1000).toFixed(2)} | ${(p50(r.loaded) / p50(r.idle)).toFixed(2)} | ${r.aJobs} | ${[...r.counts].map(([k, v]) => `${k} ×${v}`).join(", ")} | ${r.idleTimeouts} / ${r.loadedTimeouts} |`,
  ),
  "",
  ...results.map((r) => {
    const ratio = p50(r.loaded) / p50(r.idle);
    return `Goal (issue 13): loaded ÷ idle ≤ 3 — ${r.phase.label}: ${ratio <= 3 ? "met" : "missed"} (${ratio.toFixed(2)}), load average ${loadavg()[0]!.toFixed(1)} at the end of the run.`;
  }),
  "",
  "Capped: a tenant runs at most 2 statements at once (TRACKWAY_COMPUTE_TENANT_MAX_QUERIES) with parallelism 1",
  "(TRACKWAY_COMPUTE_QUERY_PARALLELISM), so it holds at most 2 slots, and its second statement starts only while a slot",
  "stays free for the others (TRACKWAY_COMPUTE_RESERVED_SLOTS, 1). Slots do not bound CPU: with 2 cores, two CPU-bound",
  "joins of A left B's job a third of the machine (3.25× before). So while another tenant is active (running, or within",
  "TRACKWAY_COMPUTE_CONTENTION_WINDOW, 10 s, of its last statement), a tenant runs at most",
  "TRACKWAY_COMPUTE_TENANT_SHARED_QUERIES (1) statements: its newest are cancelled with QUERY_PREEMPTED when another",
  "tenant starts one, and further ones wait in the tenant's queue for at most TRACKWAY_COMPUTE_QUEUE_WAIT (10 s), then get",
  "TENANT_QUERY_LIMIT (beyond TRACKWAY_COMPUTE_TENANT_QUEUE, 8, waiting, at once, before any parse). Every query job also",
  "leaves the slots warehouse jobs need plus TRACKWAY_COMPUTE_JOB_SLOT_RESERVE (1) free (read from Flink REST). 4 MB statements",
  "are refused by gRPC's 4 MiB message limit (RESOURCE_EXHAUSTED) and larger-than-64 kB ones with STATEMENT_TOO_LARGE",
  "before any parse; the read-only check runs in two worker threads with at most one statement per tenant, so A's",
  "statements never queue B's. B's remaining slowdown is CPU: A's one join runs on the same 2 cores as B's job.",
];
const text = `${lines.join("\n")}\n`;
if (out) await writeFile(out, text);
process.stdout.write(text);
process.exit(0);
