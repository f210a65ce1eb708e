import { status, type Metadata } from "@grpc/grpc-js";
import { QueryRequest } from "@trackway/proto/compute/v1";
import type { RunningService } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectQuery, computeClient, computeWorld, failure, flinkJobsNamed, produce, runOdsBatch, waitForFlinkState, type ComputeWorld } from "./harness.js";
import { sleep, slowQuery } from "../../support/index.js";
import { bulkEvents } from "./seed.js";

let world: ComputeWorld;
let gateway: RunningService;
let client: ReturnType<typeof computeClient>;
let tenant: string;

// Minutes of work over the tenant's 150 rows that stop as soon as Flink cancels the job (see slowQuery).
const SLOW = slowQuery(150);

beforeAll(async () => {
  world = await computeWorld();
  tenant = `bulk-${world.run}`;
  const topic = `trackway.compute-it-cancel.${world.run}`;
  await produce(world.endpoints.kafkaBrokers, topic, bulkEvents(tenant));
  await runOdsBatch(world, topic);
  gateway = await world.startGateway();
  client = computeClient(gateway.address, await world.key(tenant));
});

afterAll(async () => {
  // Whatever happened, no query job of this run keeps a task slot.
  for (const j of await flinkJobsNamed(world.endpoints.flinkRestUrl, `trackway-query:${tenant}:`)) world.flinkJobs.add(j.jid);
  client?.close();
  await world?.stop();
});

/** Waits for a Flink job named after the query id to run; returns its id. */
async function runningQueryJob(queryId: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const job = (await flinkJobsNamed(world.endpoints.flinkRestUrl, `trackway-query:${tenant}:${queryId}`))[0];
    if (job?.state === "RUNNING") return job.jid;
    await sleep(200);
  }
  throw new Error(`no running Flink job for query ${queryId}`);
}

describe("cancelling a query", () => {
  it("cancels its Flink job when the client cancels the call", async () => {
    const stream = client.raw.query(QueryRequest.fromPartial({ sql: SLOW }), client.metadata());
    const queryId = await new Promise<string>((resolve) => stream.once("metadata", (md: Metadata) => resolve(String(md.get("trackway-query-id")[0]))));
    const done = collectQuery(stream).catch((e: { code: number }) => e);
    const jid = await runningQueryJob(queryId);
    world.flinkJobs.add(jid);
    stream.cancel();
    expect(await done).toMatchObject({ code: status.CANCELLED });
    // Flink's own REST API says the job is gone, not merely that our client stopped listening.
    expect(await waitForFlinkState(world.endpoints.flinkRestUrl, jid, ["CANCELED", "FINISHED", "FAILED"], 30_000)).toBe("CANCELED");
  });

  it("cancels its Flink job when the timeout passes, with DEADLINE_EXCEEDED and QUERY_TIMEOUT", async () => {
    const started = Date.now();
    const stream = client.raw.query(QueryRequest.fromPartial({ sql: SLOW, timeout: { seconds: 4, nanos: 0 } }), client.metadata());
    const queryId = await new Promise<string>((resolve) => stream.once("metadata", (md: Metadata) => resolve(String(md.get("trackway-query-id")[0]))));
    const f = await failure(collectQuery(stream));
    expect(f).toMatchObject({ code: status.DEADLINE_EXCEEDED, reason: "QUERY_TIMEOUT" });
    expect(Date.now() - started).toBeLessThan(30_000);
    const jobs = await flinkJobsNamed(world.endpoints.flinkRestUrl, `trackway-query:${tenant}:${queryId}`);
    expect(jobs).toHaveLength(1);
    world.flinkJobs.add(jobs[0]!.jid);
    expect(await waitForFlinkState(world.endpoints.flinkRestUrl, jobs[0]!.jid, ["CANCELED", "FINISHED", "FAILED"], 30_000)).toBe("CANCELED");
  });

  it("still answers the tenant afterwards", async () => {
    const r = await client.query({ sql: "SELECT COUNT(*) FROM ods_events" });
    expect(r.rows[0]?.values[0]?.kind).toEqual({ $case: "intValue", value: 150 });
  });
});
