import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { RegistryConfig, startRegistry } from "@trackway/registry";
import { parseConfig, silentLogger, type RunningService } from "@trackway/runtime";
import { ensureStack, type StackEndpoints } from "@trackway/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureGrpcurl } from "../../../scripts/ensure-clients.mjs";
import { freshDatabase, stackComputeGateway, stackIngest } from "../../support/index.js";

// grpcurl (pinned, from the Go module proxy; protobuf-go underneath, so it refuses descriptors protoc would) lists,
// describes and calls every service through server reflection alone, and grpc.health.v1.Health on all three ports.
let endpoints: StackEndpoints;
let grpcurl: string;
const started: RunningService[] = [];
let dropDb: (() => Promise<void>) | undefined;
const addresses: Record<string, string> = {};

beforeAll(async () => {
  endpoints = await ensureStack();
  grpcurl = ensureGrpcurl();
  const db = await freshDatabase("grpcurl_test");
  dropDb = db.drop;
  const registry = await startRegistry(
    parseConfig(RegistryConfig, {
      DATABASE_URL: db.url,
      TRACKWAY_REGISTRY_PORT: "0",
      TRACKWAY_REGISTRY_METRICS_PORT: "0",
      TRACKWAY_REGISTRY_REST_PORT: "0",
      TRACKWAY_LOG_LEVEL: "silent",
    }),
    silentLogger,
  );
  const ingest = await stackIngest(endpoints);
  const compute = await stackComputeGateway(endpoints);
  started.push(registry, ingest, compute);
  addresses["trackway.registry.v1.RegistryService"] = registry.address;
  addresses["trackway.ingest.v1.IngestService"] = ingest.address;
  addresses["trackway.compute.v1.ComputeService"] = compute.address;
});
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop(100)));
  await dropDb?.();
});

/** Runs grpcurl; resolves with its exit code and output (a failed call is data here, not an exception). */
async function grpcurlRun(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(grpcurl, ["-plaintext", ...args], { timeout: 30_000 });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === "number" ? x.code : -1, out: `${x.stdout ?? ""}${x.stderr ?? ""}` };
  }
}

// A call each service answers through reflection alone: every service refuses a caller without an API key, which
// still proves the method was found, encoded and answered.
const calls: [string, string, RegExp][] = [
  ["trackway.registry.v1.RegistryService", "ListSubjects", /Code: Unauthenticated/],
  ["trackway.ingest.v1.IngestService", "SendBatch", /Code: Unauthenticated/],
  ["trackway.compute.v1.ComputeService", "ListJobs", /Code: Unauthenticated/],
];

describe.each(calls)("grpcurl against %s", (service, method, answer) => {
  it("lists the service and grpc.health.v1.Health", async () => {
    const r = await grpcurlRun(addresses[service]!, "list");
    expect(r).toMatchObject({ code: 0 });
    expect(r.out.split("\n").filter(Boolean)).toEqual(expect.arrayContaining([service, "grpc.health.v1.Health"]));
  });

  it("describes the service, and Health with its map entry as protoc names it", async () => {
    const own = await grpcurlRun(addresses[service]!, "describe", service);
    expect(own.code).toBe(0);
    expect(own.out).toContain(`${service} is a service:`);
    expect(own.out).toContain(`rpc ${method} (`);
    const health = await grpcurlRun(addresses[service]!, "describe", "grpc.health.v1.Health");
    expect(health.code).toBe(0);
    expect(health.out).toContain("rpc Check ( .grpc.health.v1.HealthCheckRequest ) returns ( .grpc.health.v1.HealthCheckResponse );");
    const list = await grpcurlRun(addresses[service]!, "describe", "grpc.health.v1.HealthListResponse");
    expect(list.out).toContain("map<string, .grpc.health.v1.HealthCheckResponse> statuses = 1;");
  });

  it("calls a method of the service and grpc.health.v1.Health/Check", async () => {
    const r = await grpcurlRun("-d", "{}", addresses[service]!, `${service}/${method}`);
    expect(r.out).toMatch(answer);
    expect(r.out).not.toMatch(/Code: (Unimplemented|Internal|Unknown)/);
    for (const name of ["", service]) {
      const check = await grpcurlRun("-d", JSON.stringify({ service: name }), addresses[service]!, "grpc.health.v1.Health/Check");
      expect(check).toMatchObject({ code: 0 });
      expect(JSON.parse(check.out)).toEqual({ status: "SERVING" });
    }
  });
});
