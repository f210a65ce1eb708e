import { ComputeGatewayConfig, startComputeGateway } from "@trackway/compute-gateway";
import { IngestConfig, startIngest } from "@trackway/ingest";
import { configOf, silentLogger, type RunningService, type Setting } from "@trackway/runtime";
import type { StackEndpoints } from "@trackway/stack";

// Services started in the test's own process against the shared stack's engines and database, on port 0 (free
// ports, so that they run beside the stack's own services); `extra` overrides settings.

/** Ingest on the stack's Kafka and database. */
export function stackIngest(endpoints: StackEndpoints, extra: Record<string, Setting> = {}): Promise<RunningService> {
  return startIngest(
    configOf(IngestConfig, {
      TRACKWAY_INGEST_HOST: "127.0.0.1",
      TRACKWAY_INGEST_PORT: 0,
      TRACKWAY_INGEST_METRICS_PORT: 0,
      TRACKWAY_KAFKA_BROKERS: endpoints.kafkaBrokers,
      DATABASE_URL: endpoints.databaseUrl,
      TRACKWAY_LOG_LEVEL: "silent",
      ...extra,
    }),
    silentLogger,
  );
}

/** The compute gateway on the stack's Flink and database. */
export function stackComputeGateway(endpoints: StackEndpoints, extra: Record<string, Setting> = {}): Promise<RunningService> {
  return startComputeGateway(
    configOf(ComputeGatewayConfig, {
      TRACKWAY_COMPUTE_HOST: "127.0.0.1",
      TRACKWAY_COMPUTE_PORT: 0,
      TRACKWAY_COMPUTE_METRICS_PORT: 0,
      DATABASE_URL: endpoints.databaseUrl,
      TRACKWAY_SQL_GATEWAY_URL: endpoints.sqlGatewayUrl,
      TRACKWAY_FLINK_REST_URL: endpoints.flinkRestUrl,
      TRACKWAY_LOG_LEVEL: "silent",
      ...extra,
    }),
    silentLogger,
  );
}
