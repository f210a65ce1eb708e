import { bytes, duration, flag, logLevel, port, tlsSettings } from "@trackway/runtime";
import { z } from "zod";

/** The registry's configuration, from the environment. */
export const RegistryConfig = z.object({
  /** Address the gRPC and REST servers bind. @default 127.0.0.1 */
  TRACKWAY_REGISTRY_HOST: z.string().min(1).default("127.0.0.1").describe("a host name or IP address to bind"),
  /** gRPC port. @default 50052 */
  TRACKWAY_REGISTRY_PORT: port(50052),
  /** Prometheus `/metrics` port. @default 9462 */
  TRACKWAY_REGISTRY_METRICS_PORT: port(9462),
  /** Address `/metrics` binds, apart from gRPC's: only the local scraper by default. @default 127.0.0.1 */
  TRACKWAY_REGISTRY_METRICS_HOST: z.string().min(1).default("127.0.0.1").describe("a host name or IP address to bind"),
  /** Port of the Confluent-compatible REST API (0 picks a free one). @default 8091 */
  TRACKWAY_REGISTRY_REST_PORT: port(8091),
  /** Largest REST request body; bigger ones get 413. @default 2mb */
  TRACKWAY_REGISTRY_REST_BODY_LIMIT: bytes("2mb"),
  /** PostgreSQL connection string (required). */
  DATABASE_URL: z
    .string({ error: "required: the registry stores everything in PostgreSQL" })
    .regex(/^postgres(ql)?:\/\//, "not a postgres:// URL")
    .describe("a postgres:// connection URL"),
  /** Most PostgreSQL connections. @default 10 */
  TRACKWAY_REGISTRY_DB_POOL: z.coerce.number().int().min(2).max(200).default(10).describe("a number of connections from 2 to 200 (default 10)"),
  /** Apply pending migrations at startup (the same as `trackway db migrate`). @default true */
  TRACKWAY_REGISTRY_MIGRATE: flag(true),
  /** Subject the event envelope is registered under at startup; empty skips it. @default trackway.event.v1 */
  TRACKWAY_REGISTRY_ENVELOPE_SUBJECT: z.string().default("trackway.event.v1").describe("a subject name, or empty to skip"),
  /**
   * Serialized descriptor bytes kept loaded for compatibility checks (in memory they take tens of times more).
   * A subject whose compared history is larger is loaded on every registration instead. @default 32mb
   */
  TRACKWAY_REGISTRY_DESCRIPTOR_CACHE: bytes("32mb"),
  /** How often Watch polls the audit log when no notification arrives. @default 2s */
  TRACKWAY_REGISTRY_WATCH_POLL: duration("2s"),
  /** Reads (gRPC and REST) without an API key are allowed; only for a closed network. Changes always need a key. @default false */
  TRACKWAY_REGISTRY_ANONYMOUS_READ: flag(false),
  /**
   * Who may create a subject nobody owns: `claim` lets any key with `schemas:write` create it and so own it
   * (unless a prefix grant reserves the name for other tenants); `grant` needs a prefix grant. @default claim
   */
  TRACKWAY_REGISTRY_NEW_SUBJECTS: z.enum(["claim", "grant"]).default("claim").describe("claim or grant"),
  /** How long an API key lookup is remembered; bounds how late a revocation bites. @default 10s */
  TRACKWAY_REGISTRY_KEY_CACHE_TTL: duration("10s"),
  ...tlsSettings,
  /** Log level. @default info */
  TRACKWAY_LOG_LEVEL: logLevel(),
});

/** Parsed registry configuration. */
export type RegistryConfig = z.output<typeof RegistryConfig>;
