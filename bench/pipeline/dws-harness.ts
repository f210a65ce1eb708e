// bench/pipeline/dws-harness.ts: how fast one DWS streaming job (or several at once) catches up with a
// backlog in ods_events, per variant of its settings. Seeds a private ods_events (under its own base path) with
// DWS_EVENTS events in one BATCH commit (hot keys like the bench: one tenant, two event names, ~1 hour of event time,
// 5,000 users), then per variant starts the job in STREAMING reading that table from its earliest commit, and reports
// the time until its aggregation read every event and a checkpoint completed after it, the checkpoint durations, the
// records written into Hudi, and whether the DWS totals equal the events.
//   export TRACKWAY_STATE_DIR=/work/main/.trackway
//   DWS_VARIANTS='[{"name":"base"},{"name":"minibatch","sets":{"table.exec.mini-batch.enabled":"true",…}}]' \
//   /work/briefs/run-shared.sh npx tsx bench/pipeline/dws-harness.ts
// (timings: run-quiet.sh, or a stack of its own with the environment of bench/pipeline/run.ts; the DWS jobs need
// RocksDB in the stack's lib/, so a stack started before stack/flink/pom.xml gained it must be restarted first).
// A variant: { name, job? (default dws_event_counts_hourly; a comma-separated list runs them side by side), checkpoint?, sets? (SET before the job),
// params? (job parameters, e.g. {"state_backend":"hashmap"}), replace? ([from, to] in the job's table files and job file) }.
// DWS_PROFILE_S=n: n seconds after a variant's start, print each job's per-vertex load and the busiest vertex's hottest
// frames (bench/pipeline/flink-profile.ts), and at its end the slowest checkpoint's per-subtask timings.
import { SqlGatewayClient } from "@trackway/flink";
import { ensureStack } from "@trackway/stack";
import { loadWarehouse, runJob, tableStatements, type Warehouse } from "@trackway/warehouse";
import { batchRows, cancelAll, waitFinished } from "../../tests/support/flink-jobs.js";
import { sleep } from "../../tests/support/index.js";
import { profileJob, slowestCheckpoint } from "./flink-profile.js";

interface Variant { name: string; job?: string; sets?: Record<string, string>; params?: Record<string, string>; replace?: [string, string][]; checkpoint?: string }
const N = Number(process.env.DWS_EVENTS ?? 100_000);
const variants = JSON.parse(process.env.DWS_VARIANTS ?? '[{"name":"base"}]') as Variant[];
const TIMEOUT_S = Number(process.env.DWS_TIMEOUT_S ?? 300);
const PROFILE_S = Number(process.env.DWS_PROFILE_S ?? 0);
const log = (m: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${m}`);

const endpoints = await ensureStack();
const gateway = new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl });
const run = process.env.DWS_SEED ?? `${Date.now().toString(36)}`;
const base = `${endpoints.hudiBasePath}/dws-harness-${run}`;
const values = { hudi_base_path: base, checkpoint_interval: "5s" };
const rest = (path: string) => fetch(`${endpoints.flinkRestUrl}${path}`).then((r) => r.json()) as Promise<any>;

// 1. Seed (skipped when DWS_SEED names an existing seed).
const seedWh = await loadWarehouse();
if (!process.env.DWS_SEED) {
  log(`seeding ${N} events into ${base}/ods_events`);
  const s = await gateway.openSession({ name: "dws-harness-seed" });
  for (const st of tableStatements(seedWh, ["ods_events"], values)) await s.execute(st);
  await s.execute("SET 'execution.runtime-mode' = 'batch'");
  await s.execute("SET 'table.local-time-zone' = 'UTC'");
  await s.execute(`CREATE TEMPORARY TABLE seq (i BIGINT) WITH ('connector' = 'datagen', 'fields.i.kind' = 'sequence', 'fields.i.start' = '0', 'fields.i.end' = '${N - 1}', 'number-of-rows' = '${N}')`);
  const t0 = TIMESTAMP_MS();
  const r = await s.execute(`INSERT INTO ods_events (event_id, tenant, event_name, event_time, received_at, user_key, event_date)
    SELECT CONCAT('e-', CAST(i AS STRING)), 'harness', IF(MOD(i, 3) = 0, 'shop.order_completed', 'shop.page_viewed'),
      CAST(TO_TIMESTAMP_LTZ(${t0} + i * 40, 3) AS TIMESTAMP(3)), CAST(TO_TIMESTAMP_LTZ(${t0} + i * 40, 3) AS TIMESTAMP(3)),
      CONCAT('u-', CAST(MOD(i, 5000) AS STRING)), DATE_FORMAT(CAST(TO_TIMESTAMP_LTZ(${t0} + i * 40, 3) AS TIMESTAMP(3)), 'yyyy-MM-dd')
    FROM seq`);
  await waitFinished(endpoints.flinkRestUrl, r.jobId!, 600_000);
  await s.close();
  log(`seeded: DWS_SEED=${run}`);
}
function TIMESTAMP_MS(): number {
  return Date.UTC(2026, 10, 25, 10, 0, 0);
}

/** The warehouse with a variant's text replacements applied and its DWS tables under their own names. */
function variantWarehouse(wh: Warehouse, v: Variant, tag: string): Warehouse {
  const edit = (body: string) => {
    let out = body.replace(/\/(dws_[a-z_]+)'/g, `/$1_${tag}'`);
    for (const [from, to] of v.replace ?? []) out = out.split(from).join(to);
    return out;
  };
  const clone = (m: Warehouse["jobs"]) => new Map([...m].map(([k, f]) => [k, { ...f, body: edit(f.body) }]));
  return { jobs: clone(wh.jobs), tables: clone(wh.tables) };
}

/** Polls a running job until its readers read every event and a checkpoint triggered after that completed. */
async function follow(id: string, t0: number) {
  let readAllAt = 0;
  let doneS = NaN;
  let read = 0;
  let hudiIn = 0;
  let cps: number[] = [];
  let profiled = !PROFILE_S;
  while ((performance.now() - t0) / 1000 < TIMEOUT_S) {
    await sleep(1000);
    const job = await rest(`/jobs/${id}`);
    if (job.state === "FAILED") throw new Error(`job failed: ${JSON.stringify((await rest(`/jobs/${id}/exceptions`))["root-exception"]).slice(0, 500)}`);
    const vs = job.vertices as any[];
    // Events read from ods_events: the split reader's own counter (its vertex may chain a local aggregation).
    const readers = await Promise.all(vs.filter((x) => x.name.startsWith("ods_events")).map(async (x) => {
      const ids = ((await rest(`/jobs/${id}/vertices/${x.id}/metrics`)) as { id: string }[]).map((m) => m.id).filter((m) => /^0\.ods_events\[\d+\]\.numRecordsOut$/.test(m));
      const got = ids.length ? ((await rest(`/jobs/${id}/vertices/${x.id}/metrics?get=${ids[0]}`)) as { value: string }[]) : [];
      return Number(got[0]?.value ?? 0);
    }));
    read = readers.length ? Math.min(...readers) : 0;
    hudiIn = vs.filter((x) => /bucket_write|stream_write/.test(x.name)).reduce((a, x) => a + x.metrics["read-records"], 0);
    const ck = await rest(`/jobs/${id}/checkpoints`);
    cps = ((ck.history ?? []) as any[]).filter((c) => c.status === "COMPLETED").map((c) => c.end_to_end_duration).reverse();
    const last = (ck.latest?.completed?.trigger_timestamp as number | undefined) ?? 0;
    if (read >= N && !readAllAt) readAllAt = Date.now();
    if (!profiled && (performance.now() - t0) / 1000 >= PROFILE_S) {
      profiled = true;
      log(`profile of ${id} at ${((performance.now() - t0) / 1000).toFixed(0)} s (read ${read}):\n${(await profileJob(rest, id)).join("\n")}`);
    }
    if (readAllAt && last > readAllAt) {
      doneS = (performance.now() - t0) / 1000;
      break;
    }
  }
  if (PROFILE_S) {
    const slow = await slowestCheckpoint(rest, id);
    if (slow) log(`slowest checkpoint of ${id}: #${slow.id}, ${slow.endToEndMs} ms end to end\n  ${slow.vertices.join("\n  ")}`);
  }
  return { doneS, read, hudiIn, cps };
}

const results: string[] = [];
for (const v of variants) {
  const tag = `${v.name.replace(/[^a-z0-9]/gi, "_")}_${Date.now().toString(36)}`;
  const wh = variantWarehouse(await loadWarehouse(), v, tag);
  const jobNames = (v.job ?? "dws_event_counts_hourly").split(",");
  log(`variant ${v.name}: ${jobNames.join(", ")}`);
  const t0 = performance.now();
  const ids: string[] = [];
  const parts: string[] = [];
  let slowest = 0;
  try {
    for (const jobName of jobNames) {
      const session = await gateway.openSession({ name: `dws-harness-${v.name}` });
      for (const [k, val] of Object.entries(v.sets ?? {})) await session.execute(`SET '${k}' = '${val}'`);
      ids.push((await runJob(session, wh, jobName, "STREAMING", { ...values, checkpoint_interval: v.checkpoint ?? "5s", ods_streaming_read: "true", ods_read_start_commit: "earliest", ...v.params })).flinkJobId);
    }
    const backends = await Promise.all(ids.map(async (id) => ((await rest(`/jobs/${id}/checkpoints/config`)) as { state_backend?: string }).state_backend));
    log(`  state backend: ${backends.join(", ")}`);
    const got = await Promise.all(ids.map((id) => follow(id, t0)));
    for (const [i, g] of got.entries()) {
      slowest = Math.max(slowest, Number.isNaN(g.doneS) ? Infinity : g.doneS);
      parts.push(`${jobNames[i]} ${Number.isNaN(g.doneS) ? `NOT DONE (read ${g.read})` : `${g.doneS.toFixed(0)} s`}, into Hudi ${(g.hudiIn / Math.max(1, g.read)).toFixed(3)}/event, checkpoints ms ${g.cps.join(",")}`);
    }
  } finally {
    await cancelAll(endpoints.flinkRestUrl, ids);
  }
  // The totals the jobs wrote (BATCH read of their tables).
  const reader = await gateway.openSession({ name: "dws-harness-reader" });
  const tables = [...new Set(jobNames.flatMap((j) => wh.jobs.get(j)!.tables))].filter((t) => t.startsWith("dws_"));
  for (const st of tableStatements(wh, tables, values)) await reader.execute(st);
  const totals: string[] = [];
  for (const t of tables) {
    const col = t === "dws_daily_active_users" ? "active_users" : "event_count";
    totals.push(`${t}=${(await batchRows(reader, `SELECT SUM(${col}) FROM ${t}`))[0]?.[0]}`);
  }
  await reader.close();
  const line = `${v.name}: ${Number.isFinite(slowest) ? `${slowest.toFixed(0)} s → ${Math.round(N / slowest)} events/s` : `NOT DONE in ${TIMEOUT_S}s`}; ${parts.join("; ")}; ${totals.join(" ")}`;
  log(line);
  results.push(line);
}
console.log(results.join("\n"));
process.exit(0);
