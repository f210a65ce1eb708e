import { kafkaSettings } from "@trackway/kafka";
import { bytes, count, duration, flag, logLevel, port, tlsSettings } from "@trackway/runtime";
import { z } from "zod";

/** Ingest's configuration, from the environment. */
export const IngestConfig = z.object({
  /** Address the gRPC server binds. @default 127.0.0.1 */
  TRACKWAY_INGEST_HOST: z.string().min(1).default("127.0.0.1").describe("a host name or IP address to bind"),
  /** gRPC port. @default 50051 */
  TRACKWAY_INGEST_PORT: port(50051),
  /** Prometheus `/metrics` port. @default 9461 */
  TRACKWAY_INGEST_METRICS_PORT: port(9461),
  /** Address `/metrics` binds, apart from gRPC's: only the local scraper by default. @default 127.0.0.1 */
  TRACKWAY_INGEST_METRICS_HOST: z.string().min(1).default("127.0.0.1").describe("a host name or IP address to bind"),
  /**
   * How metrics name a tenant: `id`, an opaque stable id (`trackway keys tenant-ids` maps it back), or `name`, the
   * tenant's name, for a closed network where every scraper may know the tenants and their volumes. @default id
   */
  TRACKWAY_INGEST_METRICS_TENANTS: z.enum(["id", "name"]).default("id").describe("id or name"),
  /** Secret the metric ids of tenants are keyed with (HMAC-SHA256); unset uses a fixed key, so a guessed name can be confirmed. */
  TRACKWAY_METRICS_TENANT_SECRET: z.string().min(1).optional().describe("a secret string"),
  /** Kafka brokers and SASL/TLS: TRACKWAY_KAFKA_BROKERS, TRACKWAY_KAFKA_SECURITY_PROTOCOL, TRACKWAY_KAFKA_SASL_*, TRACKWAY_KAFKA_SSL_*. */
  ...kafkaSettings,
  /** PostgreSQL holding the API keys (the stack's database by default). */
  DATABASE_URL: z.string().url().default("postgres://postgres:postgres@127.0.0.1:5432/trackway").describe("a postgres:// connection URL"),
  /** Most PostgreSQL connections (API key lookups, migrations). @default 4 */
  TRACKWAY_INGEST_DB_POOL: count(4, "a number of connections"),
  /** Whether to apply pending `migrations/` at start (locked, idempotent). @default true */
  TRACKWAY_INGEST_MIGRATE: flag(true),
  /** The registry's gRPC address. @default 127.0.0.1:50052 */
  TRACKWAY_REGISTRY_ADDRESS: z.string().min(1).default("127.0.0.1:50052").describe("host:port of the registry's gRPC server"),
  /** API key ingest reads the registry with (scopes `schemas:read` and `schemas:read-all`); unset only when the registry allows anonymous reads. */
  TRACKWAY_REGISTRY_API_KEY: z.string().optional().describe("an API key with the schemas:read and schemas:read-all scopes (ingest and the gateway enforce every tenant's restrictions)"),
  /** CA (PEM file) of the registry's TLS certificate; unset talks plaintext to the registry. @default unset */
  TRACKWAY_REGISTRY_TLS_CA: z.string().min(1).optional().describe("a path to a PEM CA bundle"),
  /** Largest batch request, after decompression. @default 4mb */
  TRACKWAY_INGEST_MAX_BATCH_BYTES: bytes("4mb"),
  /** Most events in one batch. @default 5000 */
  TRACKWAY_INGEST_MAX_BATCH_EVENTS: count(5000, "a number of events"),
  /** Largest single encoded event. @default 64kb */
  TRACKWAY_INGEST_MAX_EVENT_BYTES: bytes("64kb"),
  /** How far after its receive time a (clock-corrected) event time may lie; later ones are clamped with a warning. @default 1h */
  TRACKWAY_INGEST_MAX_FUTURE_SKEW: duration("1h"),
  /** The oldest (clock-corrected) event time accepted, before the receive time; older events are refused. @default 87600h (10 years) */
  TRACKWAY_INGEST_MAX_EVENT_AGE: duration("87600h"),
  /** Batches of one Ingest stream processed at once before the stream stops reading. @default 8 */
  TRACKWAY_INGEST_STREAM_WINDOW: count(8, "a number of batches"),
  /** How long an API key lookup is trusted; a revoked key stops working within this time. @default 10s */
  TRACKWAY_INGEST_KEY_CACHE_TTL: duration("10s"),
  /** Most API keys kept in the lookup cache. @default 10000 */
  TRACKWAY_INGEST_KEY_CACHE_SIZE: count(10_000, "a number of keys"),
  /** Use the first `x-forwarded-for` entry as the client IP (only behind a proxy you trust). @default false */
  TRACKWAY_INGEST_TRUST_FORWARDED_FOR: flag(false),
  /** How long shutdown waits for in-flight batches. @default 20s */
  TRACKWAY_INGEST_SHUTDOWN_GRACE: duration("20s"),
  /** Topic of accepted, enriched events. @default trackway.events.v1 */
  TRACKWAY_EVENTS_TOPIC: z.string().min(1).default("trackway.events.v1").describe("a Kafka topic name"),
  /** Topic of rejected events. @default trackway.events.rejected.v1 */
  TRACKWAY_REJECTED_TOPIC: z.string().min(1).default("trackway.events.rejected.v1").describe("a Kafka topic name"),
  /** Whether ingest creates missing topics at start. @default true */
  TRACKWAY_KAFKA_CREATE_TOPICS: flag(true),
  /** Partitions of a created events topic. @default 6 */
  TRACKWAY_EVENTS_PARTITIONS: count(6, "a number of partitions"),
  /** Partitions of a created rejected topic. @default 3 */
  TRACKWAY_REJECTED_PARTITIONS: count(3, "a number of partitions"),
  /** Replication factor of created topics (3 in production). @default 1 */
  TRACKWAY_KAFKA_REPLICATION: count(1, "a replication factor"),
  /** Retention of the events topic. @default 7d as 168h */
  TRACKWAY_EVENTS_RETENTION: duration("168h"),
  /** Retention of the rejected topic, long enough to repair and replay. @default 720h (30 days) */
  TRACKWAY_REJECTED_RETENTION: duration("720h"),
  /**
   * Idempotent Kafka producers; each owns a share of the partitions and has one request in flight (kafkajs'
   * limit for idempotence), so more of them overlap more broker round trips. @default 4
   */
  TRACKWAY_KAFKA_PRODUCERS: count(4, "a number of producers"),
  /** Run the Kafka producer in a worker thread, in parallel with gRPC and validation. @default true */
  TRACKWAY_KAFKA_WORKER: flag(true),
  /** JSON one produce request may group from several batches. @default 8mb */
  TRACKWAY_KAFKA_MAX_REQUEST_BYTES: bytes("8mb"),
  /** How long Kafka may take to acknowledge a produce (all in-sync replicas). @default 10s */
  TRACKWAY_KAFKA_ACK_TIMEOUT: duration("10s"),
  /** Events buffered for one `Tail` reader before the oldest are dropped (and counted). @default 1000 */
  TRACKWAY_INGEST_TAIL_BUFFER: count(1000, "a number of events"),
  /** Most `Tail` streams one instance serves at once; each reads both topics with a consumer of its own. @default 16 */
  TRACKWAY_INGEST_MAX_TAILS: count(16, "a number of tails"),
  /** Events per second one API key may send (a key's own limit, `trackway keys create --events-per-second`, wins); 0 is unlimited. @default 0 */
  TRACKWAY_INGEST_KEY_EVENTS_PER_SECOND: z.coerce.number().int().min(0).default(0).describe("events per second, 0 for no limit"),
  /** Bytes (after decompression) per second one API key may send; sizes take kb and mb; 0 is unlimited. @default 0 */
  TRACKWAY_INGEST_KEY_BYTES_PER_SECOND: bytes("0"),
  ...tlsSettings,
  /** Log level. @default info */
  TRACKWAY_LOG_LEVEL: logLevel(),
});

/** Parsed ingest configuration. */
export type IngestConfig = z.output<typeof IngestConfig>;
