import { checkHealth, listServices, type RunningService } from "@trackway/runtime";
import { ensureStack, type StackEndpoints } from "@trackway/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stackComputeGateway, stackIngest } from "../../support/index.js";

// Port 0 everywhere: each service picks free ports, so the suite runs beside a live stack. Both services keep
// state in PostgreSQL (API keys, jobs), so they run against the real stack. The registry's health and
// reflection are checked in tests/integration/registry/grpc-api.test.ts.
let endpoints: StackEndpoints;
beforeAll(async () => {
  endpoints = await ensureStack();
});

const cases: [string, () => Promise<RunningService>, string][] = [
  ["ingest", () => stackIngest(endpoints), "trackway.ingest.v1.IngestService"],
  ["compute-gateway", () => stackComputeGateway(endpoints), "trackway.compute.v1.ComputeService"],
];

const started: RunningService[] = [];
afterAll(() => Promise.all(started.map((s) => s.stop(100))));

describe.each(cases)("the %s service", (_name, start, serviceName) => {
  it("answers grpc.health.v1 over a real socket, for the server and for its service", async () => {
    const s = await start();
    started.push(s);
    expect(await checkHealth(s.address)).toBe("SERVING");
    expect(await checkHealth(s.address, serviceName)).toBe("SERVING");
    await expect(checkHealth(s.address, "no.such.Service")).rejects.toMatchObject({ code: 5 /* NOT_FOUND */ });
  });

  it("lists its services through server reflection, as grpcurl list would", async () => {
    const s = await start();
    started.push(s);
    expect(await listServices(s.address)).toEqual(["grpc.health.v1.Health", serviceName].sort());
  });
});
