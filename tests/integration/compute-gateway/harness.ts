import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { ClientReadableStream, ServiceError } from "@grpc/grpc-js";
import { ComputeGatewayConfig, startComputeGateway } from "@trackway/compute-gateway";
import { createPool, defaultMigrationsDir, migrate, type Pool } from "@trackway/db";
import { ApiKeyStore } from "@trackway/auth";
import {
  ComputeServiceClient,
  QueryRequest,
  type Column,
  type QueryResponse,
  type QuerySummary,
  type Row,
} from "@trackway/proto/compute/v1";
import { configOf, createPromiseClient, reasonOf, silentLogger, type Logger, type RunningService, type Setting } from "@trackway/runtime";
import { FlinkRestClient, SqlGatewayClient } from "@trackway/flink";
import { ensureStack, type StackEndpoints } from "@trackway/stack";
import { loadWarehouse, runJob } from "@trackway/warehouse";
import { createKafka } from "@trackway/kafka";
import { freshDatabase, sleep } from "../../support/index.js";


/** One test file's world: the real stack, a fresh database, a Hudi base path and keys of its own. */
export interface ComputeWorld {
  endpoints: StackEndpoints;
  run: string;
  /** Hudi base path of this run (under the stack's), so other tests' tables are never touched. */
  hudiBasePath: string;
  databaseUrl: string;
  pool: Pool;
  /** Issues an API key of a tenant, with the given scopes (default: send events and query). */
  key(tenant: string, scopes?: string[]): Promise<string>;
  /** A client of the gateway at `address` with a new key of `tenant` (`scopes` as in `key`); closed by `stop`. */
  client(address: string, tenant: string, scopes?: string[]): Promise<ComputeClient>;
  /** Starts a gateway in this process (port 0) against the world; `extra` overrides settings. */
  startGateway(extra?: Record<string, Setting>, logger?: Logger): Promise<RunningService>;
  /** Flink job ids to cancel at the end whatever happens (4 slots are shared by every test). */
  flinkJobs: Set<string>;
  stop(): Promise<void>;
}

/** Builds a world; throws (failing the test, never skipping it) when the stack cannot come up. */
export async function computeWorld(): Promise<ComputeWorld> {
  const endpoints = await ensureStack();
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const db = await freshDatabase("compute_test");
  const pool = createPool(db.url, { max: 2 });
  await migrate(pool, defaultMigrationsDir);
  const keys = new ApiKeyStore(pool);
  const gateways: RunningService[] = [];
  const clients: ComputeClient[] = [];
  const flinkJobs = new Set<string>();
  const hudiBasePath = `${endpoints.hudiBasePath}/cg-it-${run}`;
  return {
    endpoints,
    run,
    hudiBasePath,
    databaseUrl: db.url,
    pool,
    flinkJobs,
    key: async (tenant, scopes) => (await keys.create({ tenant, name: "compute-it", scopes })).key,
    client: async (address, tenant, scopes) => {
      const c = computeClient(address, (await keys.create({ tenant, name: "compute-it", scopes })).key);
      clients.push(c);
      return c;
    },
    startGateway: async (extra = {}, logger = silentLogger) => {
      const g = await startComputeGateway(
        configOf(ComputeGatewayConfig, {
          TRACKWAY_COMPUTE_PORT: 0,
          TRACKWAY_COMPUTE_METRICS_PORT: 0,
          DATABASE_URL: db.url,
          TRACKWAY_SQL_GATEWAY_URL: endpoints.sqlGatewayUrl,
          TRACKWAY_FLINK_REST_URL: endpoints.flinkRestUrl,
          TRACKWAY_HUDI_BASE_PATH: hudiBasePath,
          TRACKWAY_KAFKA_BROKERS: endpoints.kafkaBrokers,
          TRACKWAY_COMPUTE_KEY_CACHE_TTL: 100,
          TRACKWAY_LOG_LEVEL: "silent",
          ...extra,
        }),
        logger,
      );
      gateways.push(g);
      return g;
    },
    stop: async () => {
      for (const c of clients) c.close();
      await Promise.all(gateways.map((g) => g.stop(500).catch(() => undefined)));
      await Promise.all([...flinkJobs].map((id) => cancelIfRunning(endpoints.flinkRestUrl, id)));
      await pool.end();
      await db.drop();
      // This run's Hudi tables are of no use to anyone after it.
      if (hudiBasePath.startsWith("file:")) await rm(fileURLToPath(hudiBasePath), { recursive: true, force: true });
    },
  };
}

/** Flink's own view of a job (`GET /jobs/:id`). */
export function flinkJob(flinkRestUrl: string, id: string): Promise<{ state: string; name: string } | undefined> {
  return new FlinkRestClient({ baseUrl: flinkRestUrl }).job(id);
}

/** Waits until Flink reports the job in one of `states`; returns the state seen last. */
export function waitForFlinkState(flinkRestUrl: string, id: string, states: string[], timeoutMs = 120_000): Promise<string | undefined> {
  return new FlinkRestClient({ baseUrl: flinkRestUrl, pollIntervalMs: 300 }).waitForState(id, states, timeoutMs);
}

/** Cancels a Flink job unless it already ended. */
export async function cancelIfRunning(flinkRestUrl: string, id: string): Promise<void> {
  await new FlinkRestClient({ baseUrl: flinkRestUrl }).cancelAndWait(id, 30_000).catch(() => undefined);
}

/** Flink jobs whose name starts with `prefix` (`GET /jobs/overview`). */
export function flinkJobsNamed(flinkRestUrl: string, prefix: string): Promise<{ jid: string; name: string; state: string }[]> {
  return new FlinkRestClient({ baseUrl: flinkRestUrl }).jobsNamed(prefix);
}

/** A gRPC client of a gateway that sends `key` with every call; `query` collects the stream (`raw` has the stream itself). */
export function computeClient(address: string, key: string) {
  const client = createPromiseClient(ComputeServiceClient, address, { metadata: { "x-api-key": key } });
  return { ...client, stream: client.query, query: (req: Partial<QueryRequest>) => collectQuery(client.raw.query(QueryRequest.fromPartial(req), client.metadata())) };
}

/** A client of `computeClient`. */
export type ComputeClient = ReturnType<typeof computeClient>;

/** A query's result: its columns, rows, summary and the order of message kinds. */
export interface QueryResult {
  columns: Column[];
  rows: Row[];
  summary: QuerySummary | undefined;
  kinds: string[];
}

/** Collects a Query stream. */
export function collectQuery(stream: ClientReadableStream<QueryResponse>): Promise<QueryResult> {
  const out: QueryResult = { columns: [], rows: [], summary: undefined, kinds: [] };
  return new Promise((resolve, reject) => {
    stream.on("data", (m: QueryResponse) => {
      const k = m.kind;
      if (!k) return;
      out.kinds.push(k.$case);
      if (k.$case === "columns") out.columns = k.value.columns;
      else if (k.$case === "rows") out.rows.push(...k.value.rows);
      else out.summary = k.value;
    });
    stream.on("end", () => resolve(out));
    stream.on("error", reject);
  });
}

/** The code and trackway-reason of a failed call. */
export async function failure(p: Promise<unknown>): Promise<{ code: number; reason: string | undefined; details: string }> {
  try {
    await p;
  } catch (e) {
    return { code: (e as ServiceError).code, reason: reasonOf(e), details: (e as ServiceError).details };
  }
  throw new Error("the call succeeded");
}

/** One enriched event as ingest writes it to Kafka (services/ingest/src/core/enriched-event.ts), minimal fields. */
export interface SeedEvent {
  event_id: string;
  tenant: string;
  event_name: string;
  user: string;
  /** Event time, ms since epoch. */
  at: number;
  properties?: Record<string, unknown>;
  attributes?: Record<string, string>;
  /** Receive time, ms since epoch; default 100 ms after the event time. A late event is received long after. */
  receivedAt?: number;
  /** Header fields that override the defaults, for example `{ os_name: "iOS" }`. */
  header?: Record<string, string>;
}

/** The JSON record ingest would produce for a seed event. */
export function enrichedJson(e: SeedEvent): Record<string, unknown> {
  return {
    event_id: e.event_id,
    event_name: e.event_name,
    schema_id: 7,
    schema_version: 1,
    tenant: e.tenant,
    event_time: e.at,
    event_date: new Date(e.at).toISOString().slice(0, 10),
    client_event_time: e.at,
    sent_at: e.at + 50,
    received_at: e.receivedAt ?? e.at + 100,
    clock_skew_ms: 50,
    batch_id: `b-${e.event_id}`,
    identity_key: e.user,
    user_id: e.user,
    session_id: `s-${e.user}`,
    app_name: "shop-web",
    os_name: "Linux",
    locale: "en-GB",
    ...(e.header ?? {}),
    ...(e.attributes ? { attributes: e.attributes } : {}),
    properties: e.properties ?? {},
    ...(e.event_name === "warned" ? { warnings: ["SCHEMA_VERSION_DEPRECATED"] } : {}),
  };
}

/** Creates a topic and produces the events to it, keyed by user like ingest. */
export async function produce(brokers: string[], topic: string, events: SeedEvent[]): Promise<void> {
  const kafka = createKafka({ clientId: "compute-it", brokers, requestTimeoutMs: 30_000 }, silentLogger);
  const admin = kafka.admin();
  const producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    for (let i = 0; i < events.length; i += 500) {
      await producer.send({ topic, acks: -1, messages: events.slice(i, i + 500).map((e) => ({ key: e.user, value: JSON.stringify(enrichedJson(e)) })) });
    }
  } finally {
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  }
}

/** Runs the ODS job in BATCH mode over a topic into the world's base path and waits for it to finish. */
export async function runOdsBatch(world: ComputeWorld, topic: string): Promise<void> {
  await runBatchJob(world, "ods_events", {
    kafka_brokers: world.endpoints.kafkaBrokers.join(","),
    events_topic: topic,
    kafka_group_id: `compute-it-${randomUUID()}`,
  });
}

/** Runs a warehouse job (a file under jobs/) in BATCH mode into the world's base path and waits for it to finish. */
export async function runBatchJob(world: ComputeWorld, job: string, values: Record<string, string> = {}): Promise<void> {
  const gateway = new SqlGatewayClient({ baseUrl: world.endpoints.sqlGatewayUrl, pollIntervalMs: 50 });
  const wh = await loadWarehouse();
  const { flinkJobId } = await gateway.withSession((s) => runJob(s, wh, job, "BATCH", { hudi_base_path: world.hudiBasePath, ...values }));
  world.flinkJobs.add(flinkJobId);
  const state = await waitForFlinkState(world.endpoints.flinkRestUrl, flinkJobId, ["FINISHED", "FAILED", "CANCELED"], 300_000);
  if (state !== "FINISHED") throw new Error(`the ${job} batch job ${flinkJobId} ended ${state}`);
}

