import { status, type ServiceError } from "@grpc/grpc-js";
import type { RunningService } from "@trackway/runtime";
import { reasonOf } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeClient, computeWorld, type ComputeWorld } from "./harness.js";

let world: ComputeWorld;
let gateway: RunningService;
beforeAll(async () => {
  world = await computeWorld();
  gateway = await world.startGateway();
});
afterAll(() => world?.stop());

const failure = (p: Promise<unknown>) =>
  p.then(
    () => "allowed",
    (e: ServiceError) => ({ code: e.code, reason: reasonOf(e) }),
  );

describe("scopes at the compute gateway", () => {
  it("refuse queries to a key without query:read, whatever else it may do", async () => {
    const sender = computeClient(gateway.address, await world.key(`scopes-${world.run}`, ["events:write", "jobs:admin"]));
    expect(await failure(sender.query({ sql: "SELECT 1" }))).toMatchObject({ code: status.PERMISSION_DENIED, reason: "SCOPE_MISSING" });
    expect(await failure(sender.listTables({}))).toMatchObject({ code: status.PERMISSION_DENIED, reason: "SCOPE_MISSING" });
    sender.close();
  });

  it("give job control to a key with jobs:admin of any tenant, and refuse it to a key without", async () => {
    const reader = computeClient(gateway.address, await world.key("trackway-ops", ["query:read"]));
    expect(await failure(reader.listJobs({}))).toMatchObject({ code: status.PERMISSION_DENIED, reason: "NOT_AN_OPERATOR" });
    const operator = computeClient(gateway.address, await world.key(`anyone-${world.run}`, ["jobs:admin"]));
    expect(await failure(operator.listJobs({}))).toBe("allowed");
    reader.close();
    operator.close();
  });
});
