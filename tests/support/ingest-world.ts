import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { create, toBinary } from "@bufbuild/protobuf";
import type { ChannelCredentials } from "@grpc/grpc-js";
import { ApiKeyStore } from "@trackway/auth";
import { UnaryTransport } from "@trackway/client";
import { EventBatch, type DeepPartial, type Event } from "@trackway/proto/event/v1";
import { IngestRequest, SendBatchRequest, type BatchResult } from "@trackway/proto/ingest/v1";
import { repoRoot } from "@trackway/stack";
import { createPool, type Pool } from "@trackway/db";
import { IngestConfig, startIngest, type RunningIngest } from "@trackway/ingest";
import { ORDER_COMPLETED_V1_SOURCE, ORDER_COMPLETED_V2_SOURCE } from "../fixtures/ingest/index.js";
import { loadSchema } from "@trackway/registry-client";
import { configOf, createLogger, reasonOf, silentLogger, type Setting } from "@trackway/runtime";
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
  /** Sends one `shop.order_completed` v1 event (event, batch and order id `id`) with `key` by SendBatch, uncompressed. */
  sendOrder(address: string, key: string, id: string, o?: { credentials?: ChannelCredentials; timeoutMs?: number }): Promise<BatchResult>;
  /**
   * Sends one batch of `eventName` v1 events by SendBatch (gzip) with `key` (default: the world's); an event without
   * properties gets a v1 order (`o-1`, one item).
   */
  sendEvents(address: string, batchId: string, events: DeepPartial<Event>[], o?: { eventName?: string; key?: string }): Promise<BatchResult>;
  /** Runs `trackway keys <args> --database-url <the world's>`; rejects with `code` and `stderr` when it exits non-zero. */
  keysCli(...args: string[]): Promise<{ stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

const run = promisify(execFile);

/** How a call ended: `"accepted"`, or the gRPC code and `trackway-reason` it failed with. */
export async function outcomeOf(call: Promise<unknown>): Promise<"accepted" | [number, string | undefined]> {
  const e = await call.then(
    () => undefined,
    (x: unknown) => x as { code: number },
  );
  return e ? [e.code, reasonOf(e)] : "accepted";
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
    sendOrder: (address, key, id, o = {}) => {
      const properties = Buffer.from(toBinary(versions[0]!, create(versions[0]!, { orderId: id })));
      const request = IngestRequest.encode({
        batch: EventBatch.fromPartial({ batchId: id, common: { eventName: "shop.order_completed", schemaVersion: 1 }, events: [{ header: { eventId: id }, properties }] }),
      }).finish();
      return new UnaryTransport({ address, apiKey: key, compression: "none", credentials: o.credentials }).send(request, o.timeoutMs ?? 10_000);
    },
    sendEvents: (address, batchId, events, o = {}) => {
      const properties = Buffer.from(toBinary(versions[0]!, create(versions[0]!, { orderId: "o-1", itemCount: 1 })));
      const batch = EventBatch.fromPartial({ batchId, sentAt: new Date(), common: { eventName: o.eventName ?? "shop.order_completed", schemaVersion: 1 }, events: events.map((e) => ({ properties, ...e })) });
      return new UnaryTransport({ address, apiKey: o.key ?? key, compression: "gzip" }).send(SendBatchRequest.encode({ batch }).finish(), 60_000);
    },
    keysCli: (...args) => run("node", ["packages/cli/bin/trackway.js", "keys", ...args, "--database-url", registry.databaseUrl], { cwd: repoRoot }),
    stop: async () => {
      for (const s of started) await s.stop(1000);
      await pool.end();
      await registry.stop();
      await deleteTopics(endpoints.kafkaBrokers, [topics.events, topics.rejected]);
    },
  };
}

/** A world with one in-process ingest on it (`extra` overrides its settings); the world's `stop` stops both. */
export async function ingestWorldWithIngest(extra?: Record<string, Setting>): Promise<{ w: IngestWorld; ingest: RunningIngest }> {
  const w = await ingestWorld();
  try {
    return { w, ingest: await w.startIngest(extra) };
  } catch (e) {
    await w.stop();
    throw e;
  }
}
