import { status, type Metadata } from "@grpc/grpc-js";
import { plainValue } from "@trackway/compute-gateway";
import { QueryRequest } from "@trackway/proto/compute/v1";
import type { RunningService } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlinkRestClient } from "@trackway/flink";
import { sleep, slowQuery } from "../../support/index.js";
import { collectQuery, computeClient, computeWorld, failure, flinkJobsNamed, produce, runOdsBatch, type ComputeWorld } from "./harness.js";
import { bulkEvents } from "./seed.js";

// The fair share queues a tenant's statement for a bounded time instead of refusing it, and query jobs leave the task
// slots warehouse jobs need, on a real gateway and Flink. Regressions: a tenant's second parallel statement got
// TENANT_QUERY_LIMIT at once while another tenant was querying; BATCH queries took every slot while a streaming job restarted.
let world: ComputeWorld;
let gateway: RunningService;
let a: ReturnType<typeof computeClient>;
let b: ReturnType<typeof computeClient>;
let tenantA: string;
let tenantB: string;
const COUNT = "SELECT COUNT(*) FROM ods_events";
// Minutes of work over A's 20 rows, cancelled by each test long before it ends (and stopping when cancelled).
const SLOW = slowQuery(20);

beforeAll(async () => {
  world = await computeWorld();
  tenantA = `fq-a-${world.run}`;
  tenantB = `fq-b-${world.run}`;
  const topic = `trackway.compute-it-queue.${world.run}`;
  await produce(world.endpoints.kafkaBrokers, topic, [...bulkEvents(tenantA, 20), ...bulkEvents(tenantB, 5)]);
  await runOdsBatch(world, topic);
  // B stays "active" all along (a long contention window), so A's share is 1 statement at a time; one may wait.
  gateway = await world.startGateway({
    TRACKWAY_COMPUTE_CONTENTION_WINDOW: "10m",
    TRACKWAY_COMPUTE_QUEUE_WAIT: "8s",
    TRACKWAY_COMPUTE_TENANT_QUEUE: 1,
  });
  a = computeClient(gateway.address, await world.key(tenantA));
  b = computeClient(gateway.address, await world.key(tenantB));
  await b.query({ sql: COUNT });
});

afterAll(async () => {
  for (const t of [tenantA, tenantB]) for (const j of await flinkJobsNamed(world.endpoints.flinkRestUrl, `trackway-query:${t}:`).catch(() => [])) world.flinkJobs.add(j.jid);
  a?.close();
  b?.close();
  await world?.stop();
});

const count = async (sql = COUNT) => Number(plainValue((await a.query({ sql })).rows[0]!.values[0]!));

/** Starts A's slow statement and resolves once Flink runs its job (it holds A's one slot then). */
async function slowA() {
  const stream = a.raw.query(QueryRequest.fromPartial({ sql: SLOW, timeout: { seconds: 60, nanos: 0 } }), a.metadata());
  let ended: unknown;
  const done = collectQuery(stream).then(
    (r) => (ended = r),
    (e: unknown) => (ended = e),
  );
  const queryId = await new Promise<string>((resolve) => stream.once("metadata", (m: Metadata) => resolve(String(m.get("trackway-query-id")[0]))));
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(200)) {
    if (ended !== undefined) throw new Error(`the slow statement ended early: ${String((ended as Error).message ?? JSON.stringify(ended))}`);
    const jobs = await flinkJobsNamed(world.endpoints.flinkRestUrl, `trackway-query:${tenantA}:${queryId}`);
    if (jobs.some((j) => j.state === "RUNNING")) return { cancel: () => stream.cancel(), done };
  }
  throw new Error("the slow statement's Flink job did not start within 60 s");
}

describe("a tenant's statements over its fair share", () => {
  it("wait for the tenant's running statement instead of being refused: both of two parallel statements answer", async () => {
    expect(await Promise.all([count(), count()])).toEqual([20, 20]);
  });

  it("are refused with TENANT_QUERY_LIMIT once the wait runs out, saying what to do", async () => {
    const slow = await slowA();
    const jobsOfA = async () => (await flinkJobsNamed(world.endpoints.flinkRestUrl, `trackway-query:${tenantA}:`)).length;
    try {
      const before = await jobsOfA();
      const started = Date.now();
      const refused = await failure(a.query({ sql: COUNT }));
      expect(refused).toMatchObject({ code: status.RESOURCE_EXHAUSTED, reason: "TENANT_QUERY_LIMIT" });
      expect(refused.details).toMatch(/retry when one has finished/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(8_000);
      // Another tenant is never held up by A's queue.
      expect((await b.query({ sql: COUNT })).rows).toHaveLength(1);
    } finally {
      slow.cancel();
      await slow.done;
    }
  });

  it("leave the queue when their call is cancelled, so the queue's place is free for the next", async () => {
    const slow = await slowA();
    try {
      // Fills A's one queue place, then goes away.
      const gone = a.raw.query(QueryRequest.fromPartial({ sql: COUNT }), a.metadata());
      const goneDone = collectQuery(gone).catch((e: unknown) => e);
      await sleep(500);
      gone.cancel();
      expect(await goneDone).toMatchObject({ code: status.CANCELLED });
      await sleep(200);
      // Had the cancelled call stayed queued, this one would be refused at once (queue full); it waits, then answers.
      const waiting = count();
      await sleep(500);
      slow.cancel();
      await slow.done;
      expect(await waiting).toBe(20);
    } finally {
      slow.cancel();
    }
  });
});

describe("query jobs and the warehouse jobs' task slots", () => {
  it("wait while starting would leave fewer free slots than the reserve, then fail with CLUSTER_BUSY; ListTables still answers", async () => {
    // A reserve as large as the cluster stands for slots a restarting streaming job needs (one cannot be made to
    // restart on the shared stack without taking other tests' slots).
    const total = (await new FlinkRestClient({ baseUrl: world.endpoints.flinkRestUrl }).clusterOverview())["slots-total"];
    const guarded = await world.startGateway({ TRACKWAY_COMPUTE_JOB_SLOT_RESERVE: total, TRACKWAY_COMPUTE_SLOT_WAIT: "2s" });
    const c = computeClient(guarded.address, await world.key(tenantA));
    const jobsOfA = async () => (await flinkJobsNamed(world.endpoints.flinkRestUrl, `trackway-query:${tenantA}:`)).length;
    try {
      const before = await jobsOfA();
      const started = Date.now();
      const refused = await failure(c.query({ sql: COUNT }));
      expect(refused).toMatchObject({ code: status.RESOURCE_EXHAUSTED, reason: "CLUSTER_BUSY" });
      expect(refused.details).toMatch(/kept for its warehouse jobs/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
      // No Flink job was started for it.
      expect(await jobsOfA()).toBe(before);
      expect((await c.listTables({})).tables.map((t) => t.name)).toContain("ods_events");
    } finally {
      c.close();
      await guarded.stop(500);
    }
  });

  it("start as before when the free slots cover the reserve", async () => {
    const open = await world.startGateway({ TRACKWAY_COMPUTE_JOB_SLOT_RESERVE: 0 });
    const c = computeClient(open.address, await world.key(tenantA));
    try {
      expect(Number(plainValue((await c.query({ sql: COUNT })).rows[0]!.values[0]!))).toBe(20);
    } finally {
      c.close();
      await open.stop(500);
    }
  });
});
