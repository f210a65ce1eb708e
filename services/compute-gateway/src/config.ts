import { logLevel, port } from "@trackway/runtime";
import { z } from "zod";

/** The compute gateway's configuration, from the environment. */
export const ComputeGatewayConfig = z.object({
  /** Address the gRPC server binds. @default 127.0.0.1 */
  TRACKWAY_COMPUTE_HOST: z.string().min(1).default("127.0.0.1").describe("a host name or IP address to bind"),
  /** gRPC port. @default 50053 */
  TRACKWAY_COMPUTE_PORT: port(50053),
  /** Prometheus `/metrics` port. @default 9463 */
  TRACKWAY_COMPUTE_METRICS_PORT: port(9463),
  /** Flink SQL Gateway REST address. @default http://127.0.0.1:8083 */
  TRACKWAY_SQL_GATEWAY_URL: z.string().url().default("http://127.0.0.1:8083").describe("an http(s):// URL"),
  /** Flink REST address. @default http://127.0.0.1:8081 */
  TRACKWAY_FLINK_REST_URL: z.string().url().default("http://127.0.0.1:8081").describe("an http(s):// URL"),
  /** PostgreSQL connection string. */
  DATABASE_URL: z.string().url().optional().describe("a postgres:// connection URL"),
  /** Log level. @default info */
  TRACKWAY_LOG_LEVEL: logLevel(),
});

/** Parsed compute gateway configuration. */
export type ComputeGatewayConfig = z.output<typeof ComputeGatewayConfig>;
