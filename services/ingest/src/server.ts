import type { DescFile } from "@trackway/envelope";
import type { Metadata } from "@grpc/grpc-js";
import type { Kafka } from "kafkajs";
import { createKafka, describeKafkaSecurity, kafkaSecurityOf } from "@trackway/kafka";
import { file_trackway_ingest_v1_ingest } from "@trackway/proto/es/ingest/v1";
import { ApiKeyStore, CachedApiKeys, followKeyChanges, type PrincipalLookup } from "@trackway/auth";
import { createPool, defaultMigrationsDir, migrate, type Pool } from "@trackway/db";
import { ServiceMetrics, startService, type Logger, type RunningService, type ServiceRegistration, grpcClientCredentials, serverTlsOf } from "@trackway/runtime";
import type { SchemaLookup } from "./core/schema-lookup.js";
import type { SendGrants } from "./core/usage-grants.js";
import type { IngestConfig } from "./config.js";
import { ContractRules } from "./core/contract-rules.js";
import { OutcomeCounts } from "./store/outcome-counts.js";
import { getEventStats } from "./handlers/get-event-stats.js";
import { BatchPipeline, type RecordSink } from "./handlers/batch-pipeline.js";
import { RawIngestService } from "./handlers/definition.js";
import { privacyHandlers } from "./handlers/privacy-service.js";
import { DeletionRequests } from "./store/deletion-requests.js";
import { IngestStreams } from "./handlers/ingest.js";
import { sendBatch } from "./handlers/send-batch.js";
import { tail } from "./handlers/tail.js";
import { IngestMetrics } from "./metrics.js";
import { EventProducer } from "./store/event-producer.js";
import { WorkerProducer } from "./store/worker-producer.js";
import { connectRegistrySchemas } from "./store/registry-schemas.js";
import { CachedTenantPrivacy, TenantPrivacyStore } from "./store/tenant-privacy-store.js";
import type { PrivacyLookup } from "./core/tenant-privacy.js";
import type { TopicSettings } from "./store/topics.js";

/** Parts of ingest a test may replace; each defaults to the real one built from the config. */
export interface IngestOverrides {
  schemas?: SchemaLookup;
  /** Send grants instead of the registry's (with `schemas`: tests without a registry allow every type without it). */
  sendGrants?: SendGrants;
  /** Tenants' privacy settings instead of PostgreSQL's (tests without a database). */
  privacy?: PrivacyLookup;
  keys?: PrincipalLookup;
  sink?: RecordSink;
  /** More gRPC services, with their files' descriptors for reflection, served on ingest's port (`trackway micro` adds its assertion API). */
  extra?: { services: ServiceRegistration[]; descriptors: DescFile[] };
}

/** A running ingest: the service plus what tests and benchmarks look at. */
export interface RunningIngest extends RunningService {
  readonly ingestMetrics: IngestMetrics;
  /** Number of open Ingest streams. */
  openStreams(): number;
}

/** The topic settings the config describes. */
export function topicSettings(c: IngestConfig): TopicSettings {
  return {
    events: c.TRACKWAY_EVENTS_TOPIC,
    rejected: c.TRACKWAY_REJECTED_TOPIC,
    eventsPartitions: c.TRACKWAY_EVENTS_PARTITIONS,
    rejectedPartitions: c.TRACKWAY_REJECTED_PARTITIONS,
    replicationFactor: c.TRACKWAY_KAFKA_REPLICATION,
    eventsRetentionMs: c.TRACKWAY_EVENTS_RETENTION,
    rejectedRetentionMs: c.TRACKWAY_REJECTED_RETENTION,
    maxMessageBytes: 16 * 1024 * 1024,
  };
}

/**
 * Starts ingest: the IngestService over gRPC (health, reflection), /metrics, the idempotent Kafka producer,
 * API keys from PostgreSQL and schemas from the registry. `stop()` drains: streams stop reading, in-flight
 * batches finish and get their results, then the producer flushes and disconnects.
 */
export async function startIngest(config: IngestConfig, logger: Logger, overrides: IngestOverrides = {}): Promise<RunningIngest> {
  // Read before anything starts: a bad TLS setting fails the start with nothing to clean up.
  const tls = serverTlsOf(config);
  const kafkaSecurity = kafkaSecurityOf(config);
  const serviceMetrics = new ServiceMetrics("ingest");
  const metrics = new IngestMetrics(serviceMetrics.registry, { mode: config.TRACKWAY_INGEST_METRICS_TENANTS, secret: config.TRACKWAY_METRICS_TENANT_SECRET });
  const closers: (() => Promise<void>)[] = [];

  let pool: Pool | undefined;
  let keys = overrides.keys;
  if (!keys) {
    pool = createPool(config.DATABASE_URL, { max: config.TRACKWAY_INGEST_DB_POOL, applicationName: "trackway-ingest", onIdleError: (e) => logger.warn("postgres connection lost", { err: e.message }) });
    if (config.TRACKWAY_INGEST_MIGRATE) await migrate(pool, defaultMigrationsDir, { log: (line) => logger.info("migration", { line }) });
    keys = new ApiKeyStore(pool);
    const p = pool;
    closers.push(() => p.end());
  }
  const cachedKeys = new CachedApiKeys(keys, { ttlMs: config.TRACKWAY_INGEST_KEY_CACHE_TTL, maxEntries: config.TRACKWAY_INGEST_KEY_CACHE_SIZE });
  if (pool) {
    // Keys from the database: a revocation there reaches this cache at once (the TTL covers a lost connection).
    const keyChanges = followKeyChanges(config.DATABASE_URL, cachedKeys, logger.child("auth"));
    closers.unshift(() => keyChanges.close());
  }

  let schemas = overrides.schemas;
  let sendGrants = overrides.sendGrants;
  if (!schemas) {
    const registry = connectRegistrySchemas(config.TRACKWAY_REGISTRY_ADDRESS, serviceMetrics.registry, logger.child("registry"), config.TRACKWAY_REGISTRY_API_KEY, grpcClientCredentials(config.TRACKWAY_REGISTRY_TLS_CA, "TRACKWAY_REGISTRY_TLS_CA"));
    schemas = registry;
    sendGrants ??= registry.sendGrants;
    closers.push(() => registry.close());
  }

  let sink = overrides.sink;
  if (!sink) {
    const connection = { brokers: config.TRACKWAY_KAFKA_BROKERS, clientId: "trackway-ingest", requestTimeoutMs: config.TRACKWAY_KAFKA_ACK_TIMEOUT + 5000, security: kafkaSecurity };
    logger.info("kafka", { brokers: config.TRACKWAY_KAFKA_BROKERS, ...describeKafkaSecurity(kafkaSecurity) });
    const options = {
      topics: topicSettings(config),
      lanes: config.TRACKWAY_KAFKA_PRODUCERS,
      maxRequestBytes: config.TRACKWAY_KAFKA_MAX_REQUEST_BYTES,
      ackTimeoutMs: config.TRACKWAY_KAFKA_ACK_TIMEOUT,
      createTopics: config.TRACKWAY_KAFKA_CREATE_TOPICS,
    };
    const producer = config.TRACKWAY_KAFKA_WORKER
      ? new WorkerProducer({ connection, producer: options, logLevel: config.TRACKWAY_LOG_LEVEL }, logger.child("producer"), metrics)
      : new EventProducer(createKafka(connection, logger), { ...options, logger: logger.child("producer"), observer: metrics });
    // In the background: ingest serves (and answers UNAVAILABLE per batch) while Kafka is still coming up.
    void producer.warmUp();
    sink = producer;
    // Runs after every call has ended: flushes what is queued, then disconnects.
    closers.unshift(() => producer.close());
  }

  const limits = {
    maxBatchBytes: config.TRACKWAY_INGEST_MAX_BATCH_BYTES,
    maxBatchEvents: config.TRACKWAY_INGEST_MAX_BATCH_EVENTS,
    maxEventBytes: config.TRACKWAY_INGEST_MAX_EVENT_BYTES,
    maxFutureMs: config.TRACKWAY_INGEST_MAX_FUTURE_SKEW,
    maxAgeMs: config.TRACKWAY_INGEST_MAX_EVENT_AGE,
  };
  let counts: OutcomeCounts | undefined;
  if (pool) {
    const c = new OutcomeCounts(pool, logger.child("counts"));
    counts = c;
    // Before the pool closes (closers run in order; the pool's closer was pushed first, so this goes in front).
    closers.unshift(() => c.close());
  }
  const keyRateLimits = { eventsPerSecond: config.TRACKWAY_INGEST_KEY_EVENTS_PER_SECOND, bytesPerSecond: config.TRACKWAY_INGEST_KEY_BYTES_PER_SECOND };
  const privacy = overrides.privacy ?? (pool ? new CachedTenantPrivacy(new TenantPrivacyStore(pool), config.TRACKWAY_INGEST_KEY_CACHE_TTL) : undefined);
  const pipeline = new BatchPipeline({ keys: cachedKeys, schemas, sink, kafkaSecurity, limits, keyRateLimits, rules: new ContractRules(), privacy, sendGrants, metrics, counts, logger });
  const trust = config.TRACKWAY_INGEST_TRUST_FORWARDED_FOR;
  const streams = new IngestStreams(pipeline, { maxInFlight: config.TRACKWAY_INGEST_STREAM_WINDOW, trustForwardedFor: trust }, metrics, logger.child("stream"));

  // Tails read the topics with a Kafka client of their own, made on the first tail (tests without Kafka never need one).
  let tailKafka: Kafka | undefined;
  const stopTails = new AbortController();
  const tailDeps = {
    authenticate: (call: { metadata: Metadata }) => pipeline.authenticate(call.metadata),
    schemas,
    kafka: () => (tailKafka ??= createKafka({ brokers: config.TRACKWAY_KAFKA_BROKERS, clientId: "trackway-ingest-tail", requestTimeoutMs: 10_000, security: kafkaSecurity }, logger)),
    topics: { events: config.TRACKWAY_EVENTS_TOPIC, rejected: config.TRACKWAY_REJECTED_TOPIC },
    bufferSize: config.TRACKWAY_INGEST_TAIL_BUFFER,
    maxTails: config.TRACKWAY_INGEST_MAX_TAILS,
    stopping: stopTails.signal,
    logger: logger.child("tail"),
  };

  const service = await startService({
    name: "ingest",
    host: config.TRACKWAY_INGEST_HOST,
    port: config.TRACKWAY_INGEST_PORT,
    metricsPort: config.TRACKWAY_INGEST_METRICS_PORT,
    metricsHost: config.TRACKWAY_INGEST_METRICS_HOST,
    tls,
    metrics: serviceMetrics,
    services: [
      {
        definition: RawIngestService,
        implementation: {
          ingest: streams.handler(),
          sendBatch: sendBatch(pipeline, trust, logger),
          getEventStats: getEventStats(pipeline, pool, logger),
          tail: tail(tailDeps),
          ...privacyHandlers(cachedKeys, pool ? new DeletionRequests(pool) : undefined, logger.child("privacy")),
        },
      },
      ...(overrides.extra?.services ?? []),
    ],
    descriptors: [file_trackway_ingest_v1_ingest, ...(overrides.extra?.descriptors ?? [])],
    logger,
    // Above the batch limit, so that a slightly larger batch gets our BATCH_TOO_LARGE reason, not grpc-js's bare error.
    maxReceiveMessageLength: limits.maxBatchBytes * 2,
    onStop: async () => {
      for (const close of closers) await close().catch((e: unknown) => logger.warn("close failed", { err: String(e) }));
    },
  });

  let stopping: Promise<void> | undefined;
  return {
    ...service,
    ingestMetrics: metrics,
    openStreams: () => streams.size,
    stop: (graceMs = config.TRACKWAY_INGEST_SHUTDOWN_GRACE) =>
      (stopping ??= (async () => {
        // tryShutdown waits for calls to end, and a stream only ends when we end it: drain them alongside.
        const drained = streams.drain();
        stopTails.abort();
        await service.stop(graceMs);
        await drained;
      })()),
  };
}
