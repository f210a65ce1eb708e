import { ComputeGatewayConfig, startComputeGateway } from "@trackway/compute-gateway";
import { IngestConfig, startIngest } from "@trackway/ingest";
import { checkHealth, configOf, listServices, silentLogger, type RunningService } from "@trackway/runtime";
import { ensureStack, type StackEndpoints } from "@trackway/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Port 0 everywhere: each service picks free ports, so the suite runs beside a live stack. Both services keep
// state in PostgreSQL (API keys, jobs), so they run against the real stack. The registry's health and
// reflection are checked in tests/integration/registry/grpc-api.test.ts.
let endpoints: StackEndpoints;
beforeAll(async () => {
  endpoints = await ensureStack();
});

const cases: [string, () => Promise<RunningService>, string][] = [
  [
    "ingest",
    () =>
      startIngest(
        configOf(IngestConfig, { TRACKWAY_INGEST_HOST: "127.0.0.1", TRACKWAY_INGEST_PORT: 0, TRACKWAY_INGEST_METRICS_PORT: 0, TRACKWAY_KAFKA_BROKERS: endpoints.kafkaBrokers, DATABASE_URL: endpoints.databaseUrl, TRACKWAY_LOG_LEVEL: "silent" }),
        silentLogger,
      ),
    "trackway.ingest.v1.IngestService",
  ],
  [
    "compute-gateway",
    () =>
      startComputeGateway(
        configOf(ComputeGatewayConfig, {
          TRACKWAY_COMPUTE_HOST: "127.0.0.1",
          TRACKWAY_COMPUTE_PORT: 0,
          TRACKWAY_COMPUTE_METRICS_PORT: 0,
          DATABASE_URL: endpoints.databaseUrl,
          TRACKWAY_SQL_GATEWAY_URL: endpoints.sqlGatewayUrl,
          TRACKWAY_FLINK_REST_URL: endpoints.flinkRestUrl,
          TRACKWAY_LOG_LEVEL: "silent",
        }),
        silentLogger,
      ),
    "trackway.compute.v1.ComputeService",
  ],
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
