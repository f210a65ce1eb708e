import { csv, logLevel, port } from "@trackway/runtime";
import { z } from "zod";

/** Ingest's configuration, from the environment. */
export const IngestConfig = z.object({
  /** Address the gRPC server binds. @default 127.0.0.1 */
  TRACKWAY_INGEST_HOST: z.string().min(1).default("127.0.0.1").describe("a host name or IP address to bind"),
  /** gRPC port. @default 50051 */
  TRACKWAY_INGEST_PORT: port(50051),
  /** Prometheus `/metrics` port. @default 9461 */
  TRACKWAY_INGEST_METRICS_PORT: port(9461),
  /** Kafka bootstrap brokers. @default 127.0.0.1:9092 */
  TRACKWAY_KAFKA_BROKERS: csv("host:port Kafka brokers").default(["127.0.0.1:9092"]),
  /** Log level. @default info */
  TRACKWAY_LOG_LEVEL: logLevel(),
});

/** Parsed ingest configuration. */
export type IngestConfig = z.output<typeof IngestConfig>;
