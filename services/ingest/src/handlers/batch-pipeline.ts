import type { KafkaSecurity } from "@trackway/kafka";
import type { Metadata } from "@grpc/grpc-js";
import type { BatchResult } from "@trackway/proto/ingest/v1";
import { authenticator, scoped, type Authenticate, type Principal, type PrincipalLookup } from "@trackway/auth";
import { isTrackwayError, type Logger, type TrackwayError } from "@trackway/runtime";
import type { RuleCheck } from "../core/contract-rules.js";
import type { PrivacyLookup } from "../core/tenant-privacy.js";
import type { IngestLimits } from "../core/limits.js";
import { checkBatch, processBatch, type RecordSpec } from "../core/process-batch.js";
import type { RawBatch } from "../core/raw-batch.js";
import type { SchemaLookup } from "../core/schema-lookup.js";
import type { SendGrants } from "../core/usage-grants.js";
import { KeyRateLimiter, type RateLimits } from "../core/rate-limit.js";
import { batchRefused, kafkaUnavailable, rateLimited, registryUnavailable } from "../errors.js";
import type { IngestMetrics } from "../metrics.js";
import type { OutcomeCounts } from "../store/outcome-counts.js";

/** Where accepted and rejected records go. */
export interface RecordSink {
  produce(records: { events: RecordSpec[]; rejected: RecordSpec[]; bytes: number }): Promise<void>;
}

/** What the pipeline needs; every edge is passed in. */
export interface PipelineDeps {
  /** API keys, cached (CachedApiKeys). */
  keys: PrincipalLookup;
  schemas: SchemaLookup;
  sink: RecordSink;
  /** The Kafka security the sink uses, to name its user when the broker refuses it. @default unknown */
  kafkaSecurity?: KafkaSecurity;
  limits: IngestLimits;
  /** The contracts' protovalidate rules; without it rules are not checked. */
  rules?: RuleCheck;
  /** Tenants' privacy settings (salt, header policy); without it nothing is pseudonymised. */
  privacy?: PrivacyLookup;
  /** Which tenants may send which event types; without it every tenant may send every type. */
  sendGrants?: SendGrants;
  /** Rate limits of a key without its own (0: unlimited). @default none */
  keyRateLimits?: RateLimits;
  metrics: IngestMetrics;
  /** Per-minute outcome counters in PostgreSQL; absent: Prometheus only. */
  counts?: OutcomeCounts;
  logger: Logger;
  /** The clock, ms. @default Date.now */
  now?: () => number;
}

/** One batch's journey shared by both RPCs: authenticate, validate and enrich, produce, report. */
export class BatchPipeline {
  private readonly now: () => number;
  private readonly auth: Authenticate;
  private readonly rates = new KeyRateLimiter();

  constructor(private readonly deps: PipelineDeps) {
    this.now = deps.now ?? Date.now;
    this.auth = scoped(authenticator(deps.keys, deps.logger), "events:write");
  }

  /**
   * The principal of the call's API key; throws UNAUTHENTICATED (API_KEY_MISSING / API_KEY_INVALID) without a
   * valid key and PERMISSION_DENIED (SCOPE_MISSING) when the key may not send events (`events:write`).
   */
  authenticate(metadata: Metadata): Promise<Principal> {
    return this.auth({ metadata });
  }

  /** Charges a batch to its key's rate limits; the RESOURCE_EXHAUSTED (RATE_LIMITED) error with a retry hint when over. */
  private chargeRate(principal: Principal, raw: RawBatch): TrackwayError | undefined {
    const limits = {
      eventsPerSecond: principal.rateLimits?.eventsPerSecond ?? this.deps.keyRateLimits?.eventsPerSecond ?? 0,
      bytesPerSecond: principal.rateLimits?.bytesPerSecond ?? this.deps.keyRateLimits?.bytesPerSecond ?? 0,
    };
    const d = this.rates.take(principal.keyId, limits, raw.events.length, raw.byteLength, this.now());
    return d.ok ? undefined : rateLimited(principal.keyId, d.limit, d.limit === "events" ? limits.eventsPerSecond : limits.bytesPerSecond, d.retryAfterMs);
  }

  /**
   * Handles one batch and resolves with its result once Kafka acknowledged every record of it. Throws a
   * TrackwayError when the batch as a whole is refused or cannot be acknowledged (then nothing of it is).
   */
  async handle(raw: RawBatch, grant: Principal, clientIp: string | undefined, method: string): Promise<BatchResult> {
    const { metrics } = this.deps;
    const started = process.hrtime.bigint();
    const receivedAt = this.now();
    let outcome = "ok";
    try {
      const refused = checkBatch(raw, this.deps.limits);
      if (refused) {
        outcome = refused.reason;
        throw batchRefused(refused.reason, refused.message);
      }
      const overRate = this.chargeRate(grant, raw);
      if (overRate) {
        outcome = overRate.reason;
        throw overRate;
      }
      metrics.batchEvents.observe(raw.events.length);
      const processed = await processBatch(raw, { tenant: grant.tenant, allowedEvents: grant.allowedEvents, receivedAt, clientIp }, this.deps).catch((e: unknown) => {
        outcome = "REGISTRY_UNAVAILABLE";
        throw isTrackwayError(e) ? e : registryUnavailable(e);
      });
      await this.deps.sink.produce(processed).catch((e: unknown) => {
        const refused = kafkaUnavailable(e, this.deps.kafkaSecurity);
        outcome = refused.reason;
        throw refused;
      });
      metrics.accepted.inc({ tenant: metrics.tenant(grant.tenant) }, processed.result.accepted);
      for (const [reason, n] of processed.rejectedByReason) metrics.rejected.inc({ tenant: metrics.tenant(grant.tenant), reason }, n);
      for (const w of processed.result.warnings) metrics.warnings.inc({ reason: w.reason });
      const cells = processed.tally.entries();
      for (const c of cells) metrics.outcomes.inc({ tenant: metrics.tenant(grant.tenant), event: c.eventName, version: String(c.schemaVersion), key: grant.keyId, outcome: c.outcome }, c.events);
      this.deps.counts?.add(grant.tenant, grant.keyId, receivedAt, cells);
      return processed.result;
    } finally {
      metrics.batches.inc({ method, outcome });
      metrics.batchSeconds.observe({ method }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }
}
