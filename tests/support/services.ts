import { ComputeGatewayConfig, startComputeGateway } from "@trackway/compute-gateway";
import { IngestConfig, startIngest } from "@trackway/ingest";
import { configOf, silentLogger, type RunningService, type Setting } from "@trackway/runtime";
import type { StackEndpoints } from "@trackway/stack";

// Services started in the test's own process against the shared stack's engines and database, on port 0 (free
// ports, so that they run beside the stack's own services); `extra` overrides settings.

/** What every such service gets: loopback, port 0 for gRPC and metrics (`<prefix>_PORT`…), the stack's database, no logs. */
const local = (prefix: string, endpoints: StackEndpoints): Record<string, Setting> => ({
  [`${prefix}_HOST`]: "127.0.0.1",
  [`${prefix}_PORT`]: 0,
  [`${prefix}_METRICS_PORT`]: 0,
  DATABASE_URL: endpoints.databaseUrl,
  TRACKWAY_LOG_LEVEL: "silent",
});

/** Ingest on the stack's Kafka and database. */
export function stackIngest(endpoints: StackEndpoints, extra: Record<string, Setting> = {}): Promise<RunningService> {
  const config = configOf(IngestConfig, { ...local("TRACKWAY_INGEST", endpoints), TRACKWAY_KAFKA_BROKERS: endpoints.kafkaBrokers, ...extra });
  return startIngest(config, silentLogger);
}

/** The compute gateway on the stack's Flink and database. */
export function stackComputeGateway(endpoints: StackEndpoints, extra: Record<string, Setting> = {}): Promise<RunningService> {
  const flink = { TRACKWAY_SQL_GATEWAY_URL: endpoints.sqlGatewayUrl, TRACKWAY_FLINK_REST_URL: endpoints.flinkRestUrl };
  return startComputeGateway(configOf(ComputeGatewayConfig, { ...local("TRACKWAY_COMPUTE", endpoints), ...flink, ...extra }), silentLogger);
}
