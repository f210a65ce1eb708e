import { logLevel, port } from "@trackway/runtime";
import { z } from "zod";

/** The registry's configuration, from the environment. */
export const RegistryConfig = z.object({
  /** Address the gRPC and REST servers bind. @default 127.0.0.1 */
  TRACKWAY_REGISTRY_HOST: z.string().min(1).default("127.0.0.1").describe("a host name or IP address to bind"),
  /** gRPC port. @default 50052 */
  TRACKWAY_REGISTRY_PORT: port(50052),
  /** Prometheus `/metrics` port. @default 9462 */
  TRACKWAY_REGISTRY_METRICS_PORT: port(9462),
  /** PostgreSQL connection string. */
  DATABASE_URL: z.string().url().optional().describe("a postgres:// connection URL"),
  /** Log level. @default info */
  TRACKWAY_LOG_LEVEL: logLevel(),
});

/** Parsed registry configuration. */
export type RegistryConfig = z.output<typeof RegistryConfig>;
