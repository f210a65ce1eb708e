import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { SqlGatewaySession } from "@trackway/flink";
import type { DeletionRequest, RunningIngest } from "@trackway/ingest";
import type { DeepPartial, Event } from "@trackway/proto/event/v1";
import type { BatchResult } from "@trackway/proto/ingest/v1";
import { ensureStack, repoRoot, type StackEndpoints } from "@trackway/stack";
import { DWS_TABLES, loadWarehouse, type Warehouse } from "@trackway/warehouse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestWorld, readTopic, type IngestWorld } from "../../support/index.js";
import { batchRows, jobValues, readerSession, runBatch } from "../../support/flink-jobs.js";

// A deletion request by anonymous and device ids (no user id) on the real stack: a worker whose Flink statement fails
// leaves it `failed` with the cause, `users work` retries it to `done`, and rows matching any id are gone.
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const TENANT = `delids-${run}`;
const exec = promisify(execFile);
let w: IngestWorld;
let ingest: RunningIngest;
let endpoints: StackEndpoints;
let wh: Warehouse;
let apiKey: string;
let reader: SqlGatewaySession;
let values: Record<string, string>;

const send = (batchId: string, events: DeepPartial<Event>[], eventName?: string): Promise<BatchResult> => w.sendEvents(ingest.address, batchId, events, { eventName, key: apiKey });
const ev = (id: string, identity: { userId?: string; anonymousId?: string; deviceId?: string }) => ({ header: { eventId: id, eventTime: new Date(Date.now() - 3_600_000), identity } });
const cli = async (...args: string[]) => {
  try {
    const r = await exec(process.execPath, [path.join(repoRoot, "packages/cli/bin/trackway.js"), ...args], { cwd: repoRoot, env: process.env });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
};
const work = (hudiBasePath: string) => cli("users", "work", "--once", "--database-url", w.databaseUrl, "--topic", w.topics.events, "--hudi-base-path", hudiBasePath);
const requests = async (): Promise<DeletionRequest[]> => JSON.parse((await cli("users", "requests", "--json", "--tenant", TENANT, "--database-url", w.databaseUrl)).stdout) as DeletionRequest[];

const batchJob = (name: string) => runBatch(endpoints, wh, name, values, `delids-it-${name}`);

beforeAll(async () => {
  endpoints = await ensureStack();
  w = await ingestWorld();
  apiKey = (await w.keys.create({ tenant: TENANT, name: "it" })).key;
  ingest = await w.startIngest({ TRACKWAY_INGEST_KEY_CACHE_TTL: "200ms" });
  wh = await loadWarehouse();
  values = jobValues(endpoints, w.topics, `delids-it-${run}`);
  // One person seen as two anonymous ids and a device; another user shares nothing with them.
  expect(await send("i-1", [ev("a-1", { anonymousId: "anon-x" }), ev("a-2", { anonymousId: "anon-y", userId: "u-x" }), ev("a-3", { deviceId: "dev-x" }), ev("k-1", { userId: "u-keep", anonymousId: "anon-keep", deviceId: "dev-keep" })])).toMatchObject({ accepted: 4 });
  expect(await send("i-2", [ev("ar-1", { anonymousId: "anon-x" }), ev("kr-1", { userId: "u-keep" })], "no.such_event")).toMatchObject({ rejected: 2 });
  await readTopic(w.brokers, w.topics.rejected, (rs) => rs.filter((r) => r.value.batch_id === "i-2").length >= 2);
  await batchJob("ods_events");
  await batchJob("ods_rejected");
  for (const t of DWS_TABLES) await batchJob(t);
  reader = await readerSession(endpoints, wh, values, ["ods_events", "ods_rejected"], "delids-it-reader");
}, 900_000);

afterAll(async () => {
  await reader?.close().catch(() => {});
  await w?.stop();
});

const eventIds = async () => (await batchRows(reader, `SELECT event_id FROM ods_events WHERE tenant = '${TENANT}'`)).map((r) => String(r[0])).sort();
const rejectedIds = async () => (await batchRows(reader, `SELECT event_id FROM ods_rejected WHERE tenant = '${TENANT}'`)).map((r) => String(r[0])).sort();

describe("a deletion request by anonymous and device ids", () => {
  it("suppresses every id at once", async () => {
    expect(await eventIds()).toEqual(["a-1", "a-2", "a-3", "k-1"]);
    const r = await cli("users", "delete", "--tenant", TENANT, "--anonymous-id", "anon-x", "anon-y", "--device-id", "dev-x", "--database-url", w.databaseUrl, "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ created: true, userId: "", anonymousIds: ["anon-x", "anon-y"], deviceIds: ["dev-x"], status: "pending" });
    await new Promise((res) => setTimeout(res, 400));
    const after = await send("i-3", [ev("n-1", { anonymousId: "anon-y" }), ev("n-2", { deviceId: "dev-x", userId: "u-new" }), ev("n-3", { userId: "u-keep" })]);
    expect(after.rejections.map((x) => [x.eventId, x.reason])).toEqual([["n-1", "USER_SUPPRESSED"], ["n-2", "USER_SUPPRESSED"]]);
    expect(after.accepted).toBe(1);
  });

  it("is failed with the cause when a Flink statement fails, visible in users requests", async () => {
    // A quote in the base path makes the worker's table DDL invalid SQL: the SQL Gateway answers with an error.
    const r = await work(`${values.hudi_base_path}'broken`);
    expect(r.code).toBe(1);
    const [req] = await requests();
    expect(req).toMatchObject({ status: "failed", step: "" });
    expect(req!.error.length).toBeGreaterThan(0);
    const table = await cli("users", "requests", "--tenant", TENANT, "--database-url", w.databaseUrl);
    expect(table.stdout).toMatch(/\tfailed\t/);
    // Still the open request of those ids: asking again returns it.
    const again = await cli("users", "delete", "--tenant", TENANT, "--anonymous-id", "anon-y", "anon-x", "--device-id", "dev-x", "--database-url", w.databaseUrl, "--json");
    expect(JSON.parse(again.stdout)).toMatchObject({ created: false, id: req!.id });
  }, 300_000);

  it("is retried by users work to done, deleting rows that match any of the ids and no other", async () => {
    const r = await work(values.hudi_base_path!);
    expect(r.stderr).toContain("retrying after step (none)");
    expect(r.code).toBe(0);
    const [req] = await requests();
    expect(req).toMatchObject({ status: "done", step: "dws_recomputed", error: "", counts: { ods_events: 3, ods_rejected: 1 } });
    expect(await eventIds()).toEqual(["k-1"]);
    expect(await rejectedIds()).toEqual(["kr-1"]);
    const log = (await cli("users", "requests", "--log", String(req!.id), "--database-url", w.databaseUrl, "--json")).stdout.trim().split("\n").map((l) => JSON.parse(l) as { status: string; note: string });
    expect(log.map((l) => l.status)).toEqual(expect.arrayContaining(["pending", "failed", "running", "done"]));
    expect(log.find((l) => l.status === "failed")!.note).toMatch(/^failed: /);
  }, 900_000);
});
