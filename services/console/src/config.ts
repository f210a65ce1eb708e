import { kafkaSettings } from "@trackway/kafka";
import { duration, flag, logLevel, port } from "@trackway/runtime";
import { z } from "zod";

/** The console's configuration, from the environment. */
export const ConsoleConfig = z.object({
  /** Address the HTTP server binds. @default 127.0.0.1 */
  TRACKWAY_CONSOLE_HOST: z.string().min(1).default("127.0.0.1").describe("a host name or IP address to bind"),
  /** HTTP port of the console (0 picks a free one). @default 8088 */
  TRACKWAY_CONSOLE_PORT: port(8088),
  /** The registry's gRPC address. @default 127.0.0.1:50052 */
  TRACKWAY_REGISTRY_ADDRESS: z.string().min(1).default("127.0.0.1:50052").describe("host:port"),
  /** The compute gateway's gRPC address. @default 127.0.0.1:50053 */
  TRACKWAY_COMPUTE_ADDRESS: z.string().min(1).default("127.0.0.1:50053").describe("host:port"),
  /** Ingest's gRPC address, for the Live events page's tail. @default 127.0.0.1:50051 */
  TRACKWAY_INGEST_ADDRESS: z.string().min(1).default("127.0.0.1:50051").describe("host:port"),
  /** Kafka brokers and SASL/TLS, to read the rejected-events topic for the Failures page (TRACKWAY_KAFKA_*, as every service). */
  ...kafkaSettings,
  /** Topic of rejected events. @default trackway.events.rejected.v1 */
  TRACKWAY_REJECTED_TOPIC: z.string().min(1).default("trackway.events.rejected.v1"),
  /** PostgreSQL, where API keys are looked up at sign-in (required). */
  DATABASE_URL: z
    .string({ error: "required: sign-in checks API keys in PostgreSQL" })
    .regex(/^postgres(ql)?:\/\//, "not a postgres:// URL")
    .describe("a postgres:// connection URL"),
  /** Mark the session cookie `Secure` (browsers accept it on http://127.0.0.1 and localhost too). @default true */
  TRACKWAY_CONSOLE_SECURE_COOKIE: flag(true),
  /** How long a sign-in lasts. @default 12h */
  TRACKWAY_CONSOLE_SESSION_TTL: duration("12h"),
  /** Deadline of each call to a service. @default 60s */
  TRACKWAY_CONSOLE_CALL_TIMEOUT: duration("60s"),
  /** Folder of the built single-page app. @default services/console/dist */
  TRACKWAY_CONSOLE_DIST: z.string().optional(),
  /** Log level. @default info */
  TRACKWAY_LOG_LEVEL: logLevel(),
});

/** Parsed console configuration. */
export type ConsoleConfig = z.output<typeof ConsoleConfig>;
