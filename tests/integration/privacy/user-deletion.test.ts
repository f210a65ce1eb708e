import { spawn } from "node:child_process";
import path from "node:path";
import { createPool, type Pool } from "@trackway/db";
import type { SqlGatewaySession } from "@trackway/flink";
import { DeletionRequests, type RunningIngest } from "@trackway/ingest";
import type { DeepPartial, Event } from "@trackway/proto/event/v1";
import type { BatchResult } from "@trackway/proto/ingest/v1";
import { ensureStack, repoRoot, type StackEndpoints } from "@trackway/stack";
import { DWS_TABLES, jobStatements, loadWarehouse, type Warehouse } from "@trackway/warehouse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestWorld, readTopic, type IngestWorld } from "../../support/index.js";
import { batchRows, jobValues, pollUntil, readerSession, runBatch } from "../../support/flink-jobs.js";

// One user's deletion among several users, on the real stack: ODS and DWS built in BATCH, the request, a worker
// killed mid-way and a second one resuming, then every table checked.
let w: IngestWorld;
let ingest: RunningIngest;
let endpoints: StackEndpoints;
let wh: Warehouse;
let pool: Pool;
let reader: SqlGatewaySession;
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
let values: Record<string, string>;
const GONE = "u-gone";
const today = new Date(Date.now() - 3_600_000);
const yesterday = new Date(Date.now() - 26 * 3_600_000);

const send = (batchId: string, events: DeepPartial<Event>[], eventName?: string): Promise<BatchResult> => w.sendEvents(ingest.address, batchId, events, { eventName });
const ev = (id: string, user: string, time: Date) => ({ header: { eventId: id, eventTime: time, identity: { userId: user } } });

const batchJob = (name: string, extra: Record<string, string> = {}) => runBatch(endpoints, wh, name, { ...values, ...extra }, `deletion-it-${name}`);

/** The tenant's rows of a DWS table, and the same DWS job's SELECT run now over ods_events (a BATCH recompute). */
async function dwsAndRecompute(table: string): Promise<{ stored: string[]; recomputed: string[] }> {
  const insert = jobStatements(wh, table, "BATCH", values).find((s) => /^\s*INSERT\s/i.test(s))!;
  const select = insert.replace(/^\s*INSERT\s+INTO\s+\S+\s*/i, "");
  const norm = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
  return {
    stored: norm(await batchRows(reader, `SELECT * FROM ${table} WHERE tenant = 'acme'`)),
    recomputed: norm(await batchRows(reader, `SELECT * FROM (${select}) WHERE tenant = 'acme'`)),
  };
}

function worker(): ReturnType<typeof spawn> {
  return spawn(process.execPath, [path.join(repoRoot, "packages/cli/bin/trackway.js"), "users", "work", "--once", "--database-url", w.databaseUrl, "--topic", w.topics.events, "--hudi-base-path", values.hudi_base_path!], {
    cwd: repoRoot,
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
}
const exited = (c: ReturnType<typeof spawn>) => new Promise<number | null>((resolve) => c.on("exit", (code) => resolve(code)));

beforeAll(async () => {
  endpoints = await ensureStack();
  w = await ingestWorld();
  ingest = await w.startIngest({ TRACKWAY_INGEST_KEY_CACHE_TTL: "200ms" });
  pool = createPool(w.databaseUrl, { max: 2 });
  wh = await loadWarehouse();
  values = jobValues(endpoints, w.topics, `deletion-it-${run}`);
  // GONE on two days (alone in yesterday's shop.order_completed hour), two other users today; one rejected event each.
  expect(await send("d-1", [ev("g-1", GONE, today), ev("g-2", GONE, today), ev("g-3", GONE, yesterday), ev("k-1", "u-keep-1", today), ev("k-2", "u-keep-2", today), ev("k-3", "u-keep-1", today)])).toMatchObject({ accepted: 6 });
  expect(await send("d-2", [ev("gr-1", GONE, today), ev("kr-1", "u-keep-1", today)], "no.such_event")).toMatchObject({ rejected: 2 });
  await readTopic(w.brokers, w.topics.rejected, (rs) => rs.filter((r) => r.value.batch_id === "d-2").length >= 2);
  await batchJob("ods_events");
  await batchJob("ods_rejected");
  for (const t of DWS_TABLES) await batchJob(t);
  reader = await readerSession(endpoints, wh, values, ["ods_events", "ods_rejected", "dws_events", ...DWS_TABLES], "deletion-it-reader");
}, 900_000);

afterAll(async () => {
  await reader?.close().catch(() => {});
  await pool?.end();
  await w?.stop();
});

const users = async () => (await batchRows(reader, "SELECT user_id, COUNT(*) FROM ods_events WHERE tenant = 'acme' GROUP BY user_id")).map((r) => [String(r[0]), Number(r[1])]).sort();

describe("deleting one user among many", () => {
  it("starts with the user in ods_events, ods_rejected and the DWS tables", async () => {
    expect(await users()).toEqual([[GONE, 3], ["u-keep-1", 2], ["u-keep-2", 1]]);
    const rej = await batchRows(reader, `SELECT COUNT(*) FROM ods_rejected WHERE tenant = 'acme' AND JSON_VALUE(header, '$.identity.userId') = '${GONE}'`);
    expect(Number(rej[0]![0])).toBe(1);
  });

  it("records the request, suppresses the user at once, and a killed worker's successor finishes it", async () => {
    const requests = new DeletionRequests(pool);
    const { request, created } = await requests.request("acme", GONE, "it");
    expect(created).toBe(true);
    expect((await requests.request("acme", GONE, "it")).created).toBe(false);

    // The user's new events are rejected (ingest's privacy cache lives 200 ms here).
    await new Promise((r) => setTimeout(r, 400));
    const after = await send("d-3", [ev("g-new", GONE, new Date()), ev("k-new", "u-keep-2", new Date())]);
    expect(after.rejections.map((r) => [r.eventId, r.reason])).toEqual([["g-new", "USER_SUPPRESSED"]]);
    expect(after.accepted).toBe(1);

    // First worker: killed once it recorded a step past counting.
    const first = worker();
    const firstExit = exited(first);
    const mid = await pollUntil(() => requests.get(request.id), (r) => r!.step === "ods_events" || r!.status === "done", 300_000, 300);
    first.kill("SIGKILL");
    await firstExit;
    expect(mid).toMatchObject({ status: "running", counts: { ods_events: 3, ods_rejected: 1 } });
    expect(mid!.days).toHaveLength(2);

    const second = worker();
    let err = "";
    second.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    expect(await exited(second)).toBe(0);
    expect(err).toContain(`request ${request.id}: resuming after step`);
    const done = (await requests.get(request.id))!;
    expect(done).toMatchObject({ status: "done", step: "dws_recomputed", counts: { ods_events: 3, ods_rejected: 1 }, error: "" });
    const trail = (await requests.log(request.id)).map((l) => l.status);
    expect(trail[0]).toBe("pending");
    expect(trail).toContain("running");
    expect(trail[trail.length - 1]).toBe("done");
  }, 900_000);

  it("leaves no row of the user in any table and the other users untouched", async () => {
    expect(await users()).toEqual([["u-keep-1", 2], ["u-keep-2", 1]]);
    const rej = await batchRows(reader, "SELECT JSON_VALUE(header, '$.identity.userId') FROM ods_rejected WHERE tenant = 'acme'");
    expect(rej.map((r) => String(r[0])).sort()).toEqual(["u-keep-1"]);
  });

  it("leaves DWS tables equal to a BATCH recompute over ods_events without the user", async () => {
    for (const t of DWS_TABLES) {
      const { stored, recomputed } = await dwsAndRecompute(t);
      expect(stored, t).toEqual(recomputed);
      expect(stored.length, t).toBeGreaterThan(0);
    }
    // Yesterday only the deleted user sent events: its buckets are gone, not left stale.
    const day = yesterday.toISOString().slice(0, 10);
    expect(await batchRows(reader, `SELECT * FROM dws_daily_active_users WHERE tenant = 'acme' AND event_date = '${day}'`)).toEqual([]);
  });
});
