import { startComputeGateway } from "@trackway/compute-gateway";
import { startIngest } from "@trackway/ingest";
import { checkHealth, listServices, silentLogger, type RunningService } from "@trackway/runtime";
import { afterAll, describe, expect, it } from "vitest";

// Port 0 everywhere: each service picks free ports, so the suite runs beside a live stack. The registry needs
// PostgreSQL to start; its health and reflection are checked in tests/integration/registry/grpc-api.test.ts.
const cases: [string, () => Promise<RunningService>, string][] = [
  ["ingest", () => startIngest({ TRACKWAY_INGEST_HOST: "127.0.0.1", TRACKWAY_INGEST_PORT: 0, TRACKWAY_INGEST_METRICS_PORT: 0, TRACKWAY_KAFKA_BROKERS: ["127.0.0.1:1"], TRACKWAY_LOG_LEVEL: "silent" } as never, silentLogger), "trackway.ingest.v1.IngestService"],
  ["compute-gateway", () => startComputeGateway({ TRACKWAY_COMPUTE_HOST: "127.0.0.1", TRACKWAY_COMPUTE_PORT: 0, TRACKWAY_COMPUTE_METRICS_PORT: 0, TRACKWAY_LOG_LEVEL: "silent" } as never, silentLogger), "trackway.compute.v1.ComputeService"],
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
