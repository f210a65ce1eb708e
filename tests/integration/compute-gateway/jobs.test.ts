import { status } from "@grpc/grpc-js";
import { RuntimeMode, type Job } from "@trackway/proto/compute/v1";
import type { RunningService } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeClient, computeWorld, failure, flinkJob, flinkJobsNamed, produce, waitForFlinkState, type ComputeWorld, type SeedEvent } from "./harness.js";
import { sleep } from "../../support/index.js";

let world: ComputeWorld;
let gateway: RunningService;
let ops: ReturnType<typeof computeClient>;
let reader: ReturnType<typeof computeClient>;
let opsKey: string;
let readerKey: string;
let topic: string;
let tenant: string;
let job: Job;
const savepoints: string[] = [];

const events = (from: number, n: number): SeedEvent[] =>
  Array.from({ length: n }, (_, i) => ({ event_id: `${tenant}-${from + i}`, tenant, event_name: "job_test", user: `u${(from + i) % 7}`, at: Date.UTC(2026, 10, 22, 12, 0, from + i) }));

/** Flink's own record of where a run was restored from (`GET /jobs/:id/checkpoints` → latest.restored). */
async function restoredFrom(fid: string): Promise<string | undefined> {
  const r = (await (await fetch(`${world.endpoints.flinkRestUrl}/jobs/${fid}/checkpoints`)).json()) as { latest?: { restored?: { external_path?: string } | null } };
  return r.latest?.restored?.external_path;
}

/** Polls the tenant's ods_events through the gateway until it holds `n` rows. */
async function waitForRows(n: number, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let seen = -1;
  while (Date.now() < deadline) {
    const r = await reader.query({ sql: "SELECT COUNT(*) FROM ods_events" }).catch(() => undefined);
    const v = r?.rows[0]?.values[0]?.kind;
    seen = v?.$case === "intValue" ? v.value : -1;
    if (seen === n) return seen;
    await sleep(1000);
  }
  return seen;
}

const path = (p: string) => p.replace(/^file:\/+/, "/");

/** Polls GetJob until `ok` holds (Flink's REST metrics refresh every few seconds); returns the last answer. */
async function waitForJob(ok: (j: Job) => boolean, timeoutMs = 60_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const j = (await ops.getJob({ jobId: job.jobId })).job!;
    if (ok(j) || Date.now() > deadline) return j;
    await sleep(1000);
  }
}

beforeAll(async () => {
  world = await computeWorld();
  tenant = `jobs-${world.run}`;
  topic = `trackway.compute-it-jobs.${world.run}`;
  await produce(world.endpoints.kafkaBrokers, topic, events(0, 20));
  const operator = `ops-${world.run}`;
  gateway = await world.startGateway();
  // Operator rights are a scope of the key, whatever its tenant is called.
  opsKey = await world.key(operator, ["query:read", "jobs:admin"]);
  readerKey = await world.key(tenant);
  ops = computeClient(gateway.address, opsKey);
  reader = computeClient(gateway.address, readerKey);
});

afterAll(async () => {
  // Every run of this file's jobs, whatever state the test left them in, gives its task slot back.
  for (const j of await flinkJobsNamed(world.endpoints.flinkRestUrl, "trackway-job:")) if (job && j.name.includes(job.jobId)) world.flinkJobs.add(j.jid);
  ops?.close();
  reader?.close();
  await world?.stop();
});

describe("job control", () => {
  it("creates a job from a definition, refusing non-operators, unknown definitions and unknown parameters", async () => {
    const params = { events_topic: topic, kafka_group_id: `compute-it-${world.run}`, checkpoint_interval: "2s" };
    expect(await failure(reader.createJob({ definition: "ods_events", parameters: params }))).toMatchObject({ code: status.PERMISSION_DENIED, reason: "NOT_AN_OPERATOR" });
    expect(await failure(ops.createJob({ definition: "nope", parameters: {} }))).toMatchObject({ code: status.NOT_FOUND, reason: "DEFINITION_NOT_FOUND" });
    expect(await failure(ops.createJob({ definition: "ods_events", parameters: { nope: "1" } }))).toMatchObject({ code: status.INVALID_ARGUMENT, reason: "PARAMETER_INVALID" });
    job = (await ops.createJob({ definition: "ods_events", parameters: params })).job!;
    expect(job).toMatchObject({ definition: "ods_events", state: "CREATED", flinkJobId: "" });
    expect(job.parameters).toMatchObject({ ...params, hudi_base_path: world.hudiBasePath });
  });

  it("starts it in STREAMING mode, as Flink's REST API confirms, and lists it", async () => {
    job = (await ops.startJob({ jobId: job.jobId, mode: RuntimeMode.RUNTIME_MODE_STREAMING })).job!;
    world.flinkJobs.add(job.flinkJobId);
    expect(job).toMatchObject({ state: "RUNNING", mode: RuntimeMode.RUNTIME_MODE_STREAMING });
    const flink = await flinkJob(world.endpoints.flinkRestUrl, job.flinkJobId);
    expect(flink).toMatchObject({ state: "RUNNING", name: `trackway-job:${job.jobId}:ods_events:STREAMING` });
    const listed = (await ops.listJobs({})).jobs.find((j) => j.jobId === job.jobId);
    expect(listed).toMatchObject({ state: "RUNNING", flinkJobId: job.flinkJobId });
    expect(await failure(ops.startJob({ jobId: job.jobId, mode: RuntimeMode.RUNTIME_MODE_BATCH }))).toMatchObject({ code: status.FAILED_PRECONDITION, reason: "JOB_ALREADY_RUNNING" });
  });

  it("writes the topic into ods_events and reports checkpoints and records", async () => {
    expect(await waitForRows(20)).toBe(20);
    const got = await waitForJob((j) => j.lastCheckpointAt !== undefined && j.recordsIn === 20);
    expect(got.lastCheckpointAt).toBeInstanceOf(Date);
    expect(got.recordsIn).toBe(20);
    expect(got.recordsOut).toBeGreaterThan(0);
    expect(got.startedAt).toBeInstanceOf(Date);
  });

  it("stops it with a savepoint", async () => {
    const before = job.flinkJobId;
    job = (await ops.stopJob({ jobId: job.jobId })).job!;
    expect(job.state).toBe("STOPPED");
    expect(job.savepointPath).toMatch(/savepoint-/);
    savepoints.push(job.savepointPath);
    expect((await flinkJob(world.endpoints.flinkRestUrl, before))?.state).toBe("FINISHED");
    expect(await failure(ops.stopJob({ jobId: job.jobId }))).toMatchObject({ code: status.FAILED_PRECONDITION, reason: "JOB_NOT_RUNNING" });
  });

  it("is still listed, with its savepoint, by a gateway restarted mid-way", async () => {
    ops.close();
    reader.close();
    await gateway.stop(1000);
    gateway = await world.startGateway();
    ops = computeClient(gateway.address, opsKey);
    reader = computeClient(gateway.address, readerKey);
    const listed = (await ops.listJobs({})).jobs.find((j) => j.jobId === job.jobId);
    expect(listed).toMatchObject({ state: "STOPPED", savepointPath: savepoints[0], flinkJobId: job.flinkJobId });
  });

  it("resumes from the savepoint and picks up new events", async () => {
    await produce(world.endpoints.kafkaBrokers, topic, events(20, 10));
    job = (await ops.resumeJob({ jobId: job.jobId })).job!;
    world.flinkJobs.add(job.flinkJobId);
    expect(job).toMatchObject({ state: "RUNNING", mode: RuntimeMode.RUNTIME_MODE_STREAMING });
    expect((await flinkJob(world.endpoints.flinkRestUrl, job.flinkJobId))?.state).toBe("RUNNING");
    expect(path((await restoredFrom(job.flinkJobId)) ?? "")).toBe(path(savepoints[0]!));
    expect(await waitForRows(30)).toBe(30);
    // The resumed run read only what came after the savepoint.
    expect((await waitForJob((j) => j.recordsIn >= 10)).recordsIn).toBe(10);
  });

  it("switches from STREAMING to BATCH: a savepoint, then the same SQL as a bounded run", async () => {
    const streaming = job.flinkJobId;
    job = (await ops.switchJobMode({ jobId: job.jobId, mode: RuntimeMode.RUNTIME_MODE_BATCH })).job!;
    world.flinkJobs.add(job.flinkJobId);
    expect(job.mode).toBe(RuntimeMode.RUNTIME_MODE_BATCH);
    expect(job.flinkJobId).not.toBe(streaming);
    expect((await flinkJob(world.endpoints.flinkRestUrl, streaming))?.state).toBe("FINISHED");
    expect(job.savepointPath).not.toBe(savepoints[0]);
    savepoints.push(job.savepointPath);
    expect(await waitForFlinkState(world.endpoints.flinkRestUrl, job.flinkJobId, ["FINISHED", "FAILED", "CANCELED"])).toBe("FINISHED");
    const { job: after, runs } = await ops.getJob({ jobId: job.jobId });
    expect(after).toMatchObject({ state: "FINISHED", mode: RuntimeMode.RUNTIME_MODE_BATCH });
    expect(runs.map((r) => [r.mode, r.endState])).toEqual([
      [RuntimeMode.RUNTIME_MODE_STREAMING, "STOPPED"],
      [RuntimeMode.RUNTIME_MODE_STREAMING, "STOPPED"],
      [RuntimeMode.RUNTIME_MODE_BATCH, "FINISHED"],
    ]);
    // The BATCH run re-read the whole topic; upserts on event_id keep each event once.
    expect(await waitForRows(30, 10_000)).toBe(30);
  });

  it("switches back to STREAMING from the latest savepoint, then cancels", async () => {
    job = (await ops.switchJobMode({ jobId: job.jobId, mode: RuntimeMode.RUNTIME_MODE_STREAMING })).job!;
    world.flinkJobs.add(job.flinkJobId);
    expect((await flinkJob(world.endpoints.flinkRestUrl, job.flinkJobId))?.state).toBe("RUNNING");
    expect(path((await restoredFrom(job.flinkJobId)) ?? "")).toBe(path(savepoints[1]!));
    job = (await ops.cancelJob({ jobId: job.jobId })).job!;
    expect(job.state).toBe("CANCELED");
    expect((await flinkJob(world.endpoints.flinkRestUrl, job.flinkJobId))?.state).toBe("CANCELED");
    expect(await failure(ops.cancelJob({ jobId: job.jobId }))).toMatchObject({ code: status.FAILED_PRECONDITION, reason: "JOB_NOT_RUNNING" });
  });

  it("answers NOT_FOUND for an unknown job", async () => {
    expect(await failure(ops.getJob({ jobId: "job_nope" }))).toMatchObject({ code: status.NOT_FOUND, reason: "JOB_NOT_FOUND" });
  });
});
