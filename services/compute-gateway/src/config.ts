import { fileURLToPath } from "node:url";
import { kafkaSettings } from "@trackway/kafka";
import { bytes, count, duration, flag, logLevel, port, tlsSettings } from "@trackway/runtime";
import { z } from "zod";

// The local stack keeps its Hudi tables under <repo>/.trackway/hudi (packages/stack's default state dir).
const localHudi = `file://${fileURLToPath(new URL("../../../.trackway/hudi", import.meta.url))}`;

/** The compute gateway's configuration, from the environment. */
export const ComputeGatewayConfig = z.object({
  /** Address the gRPC server binds. @default 127.0.0.1 */
  TRACKWAY_COMPUTE_HOST: z.string().min(1).default("127.0.0.1").describe("a host name or IP address to bind"),
  /** gRPC port. @default 50053 */
  TRACKWAY_COMPUTE_PORT: port(50053),
  /** Prometheus `/metrics` port. @default 9463 */
  TRACKWAY_COMPUTE_METRICS_PORT: port(9463),
  /** Address `/metrics` binds, apart from gRPC's: only the local scraper by default. @default 127.0.0.1 */
  TRACKWAY_COMPUTE_METRICS_HOST: z.string().min(1).default("127.0.0.1").describe("a host name or IP address to bind"),
  /** Flink SQL Gateway REST address. @default http://127.0.0.1:8083 */
  TRACKWAY_SQL_GATEWAY_URL: z.string().url().default("http://127.0.0.1:8083").describe("an http(s):// URL"),
  /** Flink REST address. @default http://127.0.0.1:8081 */
  TRACKWAY_FLINK_REST_URL: z.string().url().default("http://127.0.0.1:8081").describe("an http(s):// URL"),
  /** PostgreSQL holding jobs and (ingest's) API keys. @default the local stack's database */
  DATABASE_URL: z.string().url().default("postgres://postgres:postgres@127.0.0.1:5432/trackway").describe("a postgres:// connection URL"),
  /** Most PostgreSQL connections (jobs, runs, API key lookups). @default 8 */
  TRACKWAY_COMPUTE_DB_POOL: count(8, "a number of connections"),
  /** Whether to apply pending `migrations/` at start (locked, idempotent). @default true */
  TRACKWAY_COMPUTE_MIGRATE: flag(true),
  /** Base path of the warehouse's Hudi tables. @default file://<repo>/.trackway/hudi (the local stack's) */
  TRACKWAY_HUDI_BASE_PATH: z.string().min(1).default(localHudi).describe("a file:// or object-store URL"),
  /**
   * Kafka brokers and SASL/TLS new jobs read with (TRACKWAY_KAFKA_BROKERS, TRACKWAY_KAFKA_SECURITY_PROTOCOL,
   * TRACKWAY_KAFKA_SASL_*, TRACKWAY_KAFKA_SSL_*); the secrets reach only the jobs' DDL, not their stored parameters.
   */
  ...kafkaSettings,
  /** Checkpoint interval of new jobs' streaming runs (streaming Hudi writes commit on checkpoints). @default 10s */
  TRACKWAY_CHECKPOINT_INTERVAL: z.string().regex(/^\d+\s*(ms|s|min|h)$/, "like 500ms, 10s, 1min").default("10s").describe("a Flink duration such as 10s"),
  /** Where stop-with-savepoint writes; unset uses the cluster's `state.savepoints.dir`. */
  TRACKWAY_SAVEPOINT_DIR: z.string().min(1).optional().describe("a file:// or object-store URL"),
  /** How long a stop with savepoint may take. @default 5m */
  TRACKWAY_SAVEPOINT_TIMEOUT: duration("5m"),
  /** Rows a query returns when it asks for no limit. @default 10000 */
  TRACKWAY_COMPUTE_DEFAULT_MAX_ROWS: count(10_000, "a number of rows"),
  /** Most rows any query may return. @default 1000000 */
  TRACKWAY_COMPUTE_MAX_ROWS: count(1_000_000, "a number of rows"),
  /** Timeout of a query that sets none (structured queries use it too). @default 60s */
  TRACKWAY_COMPUTE_QUERY_TIMEOUT: duration("60s"),
  /** Longest timeout a query may ask for. @default 2m */
  TRACKWAY_COMPUTE_MAX_QUERY_TIMEOUT: duration("2m"),
  /** Largest statement (after binding parameters) a query may send. @default 64kb */
  TRACKWAY_COMPUTE_MAX_STATEMENT_BYTES: bytes("64kb"),
  /** Longest the read-only check of one statement may take (in a worker thread; one per tenant at a time). @default 5s */
  TRACKWAY_COMPUTE_PARSE_TIMEOUT: duration("5s"),
  /** Most operators (AND, OR, NOT, + - * / % ||) in one statement. @default 500 */
  TRACKWAY_COMPUTE_MAX_OPERATORS: count(500, "a number of operators"),
  /** Worker threads running the read-only check; one tenant uses at most one at a time. @default 2 */
  TRACKWAY_COMPUTE_PARSE_WORKERS: count(2, "a number of threads"),
  /** Most items in one parenthesised list (an IN list). @default 1000 */
  TRACKWAY_COMPUTE_MAX_LIST_ITEMS: count(1000, "a number of items"),
  /** Deepest nesting of parentheses. @default 64 */
  TRACKWAY_COMPUTE_MAX_NESTING: count(64, "a depth"),
  /** Statements one tenant may run at once (queries, structured queries, catalog). @default 2 */
  TRACKWAY_COMPUTE_TENANT_MAX_QUERIES: count(2, "a number of statements"),
  /** Statements one tenant may run at once while another tenant is active; its newer ones are preempted (QUERY_PREEMPTED). @default 1 */
  TRACKWAY_COMPUTE_TENANT_SHARED_QUERIES: count(1, "a number of statements"),
  /** A tenant counts as active (for the fair share) this long after its last statement ended. @default 10s */
  TRACKWAY_COMPUTE_CONTENTION_WINDOW: duration("10s"),
  /** Longest a statement waits for one of its tenant's slots (cap or fair share) before TENANT_QUERY_LIMIT; 0 refuses at once. @default 10s */
  TRACKWAY_COMPUTE_QUEUE_WAIT: duration("10s"),
  /** Statements of one tenant that may wait for a slot at once; one more is refused at once (TENANT_QUERY_LIMIT). @default 8 */
  TRACKWAY_COMPUTE_TENANT_QUEUE: z.coerce.number().int().min(0).default(8).describe("a number of statements"),
  /** Task slots a tenant that already runs a statement must leave free when it starts another (0: none). @default 1 */
  TRACKWAY_COMPUTE_RESERVED_SLOTS: z.coerce.number().int().min(0).default(1).describe("a number of task slots"),
  /**
   * Task slots kept free for the warehouse's (streaming) jobs beyond those a job being started or restarted needs: a
   * query job starts only while its slots, this reserve and every waiting warehouse job's slots are free, else it
   * waits (TRACKWAY_COMPUTE_SLOT_WAIT, then CLUSTER_BUSY). @default 1
   */
  TRACKWAY_COMPUTE_JOB_SLOT_RESERVE: z.coerce.number().int().min(0).default(1).describe("a number of task slots"),
  /** Longest a query waits for task slots the warehouse jobs can spare before CLUSTER_BUSY. @default 30s */
  TRACKWAY_COMPUTE_SLOT_WAIT: duration("30s"),
  /** Flink parallelism (task slots) of each query's job: a tenant holds at most max-queries × this many slots. @default 1 */
  TRACKWAY_COMPUTE_QUERY_PARALLELISM: count(1, "a parallelism"),
  /** How long an API key lookup is trusted; a revoked key stops working within this time. @default 10s */
  TRACKWAY_COMPUTE_KEY_CACHE_TTL: duration("10s"),
  /** A tenant's SQL Gateway session is closed after this long unused. @default 10m */
  TRACKWAY_COMPUTE_SESSION_IDLE: duration("10m"),
  /** The registry's gRPC address; when set, typed per-event views are created and listed. */
  TRACKWAY_REGISTRY_ADDRESS: z.string().min(1).optional().describe("host:port of the registry's gRPC server"),
  /** API key the gateway reads the registry with (scopes `schemas:read` and `schemas:read-all`); unset only when the registry allows anonymous reads. */
  TRACKWAY_REGISTRY_API_KEY: z.string().optional().describe("an API key with the schemas:read and schemas:read-all scopes (ingest and the gateway enforce every tenant's restrictions)"),
  /** CA (PEM file) of the registry's TLS certificate; unset talks plaintext to the registry. @default unset */
  TRACKWAY_REGISTRY_TLS_CA: z.string().min(1).optional().describe("a path to a PEM CA bundle"),
  /** The envelope's subject in the registry, which is not an event type. @default trackway.event.v1 */
  TRACKWAY_REGISTRY_ENVELOPE_SUBJECT: z.string().default("trackway.event.v1").describe("a subject name"),
  /** Directory of the job definitions. @default the repository's jobs/ */
  TRACKWAY_JOBS_DIR: z.string().min(1).optional().describe("a directory of job .sql files with a tables/ folder"),
  /** How long shutdown waits for in-flight calls. @default 10s */
  TRACKWAY_COMPUTE_SHUTDOWN_GRACE: duration("10s"),
  ...tlsSettings,
  /** Log level. @default info */
  TRACKWAY_LOG_LEVEL: logLevel(),
});

/** Parsed compute gateway configuration. */
export type ComputeGatewayConfig = z.output<typeof ComputeGatewayConfig>;
