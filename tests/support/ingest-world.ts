import { ApiKeyStore } from "@trackway/auth";
import { createPool, type Pool } from "@trackway/db";
import { IngestConfig, startIngest, type RunningIngest } from "@trackway/ingest";
import { ORDER_COMPLETED_V1_SOURCE, ORDER_COMPLETED_V2_SOURCE } from "../fixtures/ingest/index.js";
import { loadSchema } from "@trackway/registry-client";
import { configOf, createLogger, silentLogger, type Setting } from "@trackway/runtime";
import type { DescMessage } from "@bufbuild/protobuf";
import { startTestRegistry, type TestRegistry } from "./registry.js";
import { deleteTopics, sharedStack } from "./kafka.js";

/** Everything an ingest integration test needs: real registry, real Postgres, real Kafka, topics of its own. */
export interface IngestWorld {
  registry: TestRegistry;
  brokers: string[];
  topics: { events: string; rejected: string };
  databaseUrl: string;
  keys: ApiKeyStore;
  /** An API key of tenant `acme` that may send any event. */
  apiKey: string;
  /** `shop.v1.OrderCompleted` at versions 1 and 2, as the registry compiled them. */
  orderV1: DescMessage;
  orderV2: DescMessage;
  /** Starts ingest in this process against the world (port 0); extra settings override. */
  startIngest(extra?: Record<string, Setting>): Promise<RunningIngest>;
  /** Environment for an ingest child process (`tsx services/ingest/src/main.ts`). */
  ingestEnv(port: number, extra?: Record<string, string>): Record<string, string>;
  stop(): Promise<void>;
}

/** Builds the world: registry on a fresh database with `shop.order_completed` v1 and v2 registered, a key, topic names. */
export async function ingestWorld(): Promise<IngestWorld> {
  const { endpoints, topics } = await sharedStack();
  const registry = await startTestRegistry();
  const pool: Pool = createPool(registry.databaseUrl, { max: 2 });
  const keys = new ApiKeyStore(pool);
  const started: RunningIngest[] = [];
  const versions: DescMessage[] = [];
  for (const source of [ORDER_COMPLETED_V1_SOURCE, ORDER_COMPLETED_V2_SOURCE]) {
    const { schema } = await registry.client.registerSchema({ subject: "shop.order_completed", protoSource: source, messageName: "shop.v1.OrderCompleted", author: "it" });
    versions.push(loadSchema(schema!.descriptorSet, schema!.messageName).message);
  }
  const config = (extra: Record<string, Setting> = {}) => ({
    TRACKWAY_INGEST_PORT: 0,
    TRACKWAY_INGEST_METRICS_PORT: 0,
    TRACKWAY_KAFKA_BROKERS: endpoints.kafkaBrokers,
    DATABASE_URL: registry.databaseUrl,
    TRACKWAY_REGISTRY_ADDRESS: registry.registry.address,
    TRACKWAY_REGISTRY_API_KEY: registry.admin.key,
    TRACKWAY_EVENTS_TOPIC: topics.events,
    TRACKWAY_REJECTED_TOPIC: topics.rejected,
    TRACKWAY_INGEST_KEY_CACHE_TTL: 200,
    TRACKWAY_LOG_LEVEL: (process.env.TRACKWAY_IT_LOG ?? "silent") as "silent",
    ...extra,
  });
  // The registry applied every migration of migrations/ to its fresh database, api_keys (0010) included.
  const { key } = await keys.create({ tenant: "acme", name: "it" });
  return {
    registry,
    brokers: endpoints.kafkaBrokers,
    topics,
    databaseUrl: registry.databaseUrl,
    keys,
    apiKey: key,
    orderV1: versions[0]!,
    orderV2: versions[1]!,
    startIngest: async (extra) => {
      // TRACKWAY_IT_LOG=debug shows ingest's log while a test runs.
      const s = await startIngest(configOf(IngestConfig, config(extra)), process.env.TRACKWAY_IT_LOG ? createLogger("ingest", process.env.TRACKWAY_IT_LOG) : silentLogger);
      started.push(s);
      return s;
    },
    ingestEnv: (port, extra = {}) => ({
      TRACKWAY_INGEST_PORT: String(port),
      TRACKWAY_INGEST_METRICS_PORT: String(port + 1),
      TRACKWAY_KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
      DATABASE_URL: registry.databaseUrl,
      TRACKWAY_REGISTRY_ADDRESS: registry.registry.address,
      TRACKWAY_REGISTRY_API_KEY: registry.admin.key,
      TRACKWAY_EVENTS_TOPIC: topics.events,
      TRACKWAY_REJECTED_TOPIC: topics.rejected,
      TRACKWAY_LOG_LEVEL: "warn",
      ...extra,
    }),
    stop: async () => {
      for (const s of started) await s.stop(1000);
      await pool.end();
      await registry.stop();
      await deleteTopics(endpoints.kafkaBrokers, [topics.events, topics.rejected]);
    },
  };
}
