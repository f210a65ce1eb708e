import { identityKey } from "@trackway/envelope";
import type { BatchResult } from "@trackway/proto/ingest/v1";
import { enrichEvent } from "./enriched-event.js";
import type { IngestLimits } from "./limits.js";
import type { RawBatch } from "./raw-batch.js";
import { rejectedRecord } from "./rejected-record.js";
import type { ResolvedSchema, SchemaLookup } from "./schema-lookup.js";
import { validateEvent } from "./validate-event.js";

/** A record to produce, independent of the Kafka client: key, JSON value, string headers. */
export interface RecordSpec {
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/** Who sent a batch and when it arrived. */
export interface BatchSource {
  tenant: string;
  /** Event names the API key may send; undefined allows every name. */
  allowedEvents: ReadonlySet<string> | undefined;
  /** When ingest received the batch, ms since epoch. */
  receivedAt: number;
  /** The caller's IP address as ingest saw it. */
  clientIp: string | undefined;
}

/** What processing a batch needs. */
export interface BatchDeps {
  schemas: SchemaLookup;
  limits: IngestLimits;
}

/** A processed batch: the records to produce and the result to send once Kafka acknowledged them. */
export interface ProcessedBatch {
  /** Enriched events for `trackway.events.v1`. */
  events: RecordSpec[];
  /** Rejected events for `trackway.events.rejected.v1`. */
  rejected: RecordSpec[];
  result: BatchResult;
  /** Rejections counted by main reason, for metrics. */
  rejectedByReason: Map<string, number>;
  /** Bytes of JSON to produce, for grouping produce requests. */
  bytes: number;
}

/** Kafka record header names on both topics. */
export const RecordHeader = {
  tenant: "tenant",
  eventName: "event_name",
  schemaId: "schema_id",
  schemaVersion: "schema_version",
  reason: "reason",
} as const;

/** The reason a whole batch is refused before any event is looked at, or undefined when it may proceed. */
export function checkBatch(raw: RawBatch, limits: IngestLimits): { reason: string; message: string } | undefined {
  if (raw.malformed) return { reason: "BATCH_MALFORMED", message: raw.malformed };
  if (raw.byteLength > limits.maxBatchBytes) {
    return { reason: "BATCH_TOO_LARGE", message: `the batch is ${raw.byteLength} bytes; the limit is ${limits.maxBatchBytes}` };
  }
  if (raw.events.length > limits.maxBatchEvents) {
    return { reason: "BATCH_TOO_MANY_EVENTS", message: `the batch has ${raw.events.length} events; the limit is ${limits.maxBatchEvents}` };
  }
  return undefined;
}

/**
 * Validates and enriches every event of a batch. Nothing is dropped: each event becomes either an enriched
 * record or a rejected record (and a rejection in the result). Registry failures propagate (the whole batch
 * is then retried by the client); everything else about an event is a rejection.
 */
export async function processBatch(raw: RawBatch, source: BatchSource, deps: BatchDeps): Promise<ProcessedBatch> {
  const memo = new Map<string, Promise<ResolvedSchema | undefined>>();
  const lookup = (name: string, version: number): Promise<ResolvedSchema | undefined> => {
    const k = `${name}\u0000${version}`;
    let p = memo.get(k);
    if (!p) memo.set(k, (p = deps.schemas.get(name, version)));
    return p;
  };
  const ctx = { common: raw.common, batchSentAt: raw.sentAt, allowedEvents: source.allowedEvents, limits: deps.limits, lookup, schemas: deps.schemas };
  const outcomes = await Promise.all(raw.events.map((bytes) => validateEvent(bytes, ctx)));

  const out: ProcessedBatch = {
    events: [],
    rejected: [],
    result: { batchId: raw.batchId, accepted: 0, rejected: 0, rejections: [], warnings: [] },
    rejectedByReason: new Map(),
    bytes: 0,
  };
  outcomes.forEach((o, index) => {
    if (o.ok) {
      const key = identityKey(o.header);
      const record = enrichEvent(o.header, {
        tenant: source.tenant,
        schemaId: o.schema.schemaId,
        schemaVersion: o.schema.version,
        receivedAt: source.receivedAt,
        clientIp: source.clientIp,
        batchId: raw.batchId,
        identityKey: key,
        properties: o.properties,
        warnings: o.warnings.map((w) => w.reason),
      });
      const value = JSON.stringify(record);
      out.bytes += value.length;
      // Events without any identity spread by their id: still one stable partition per event across retries.
      out.events.push({
        key: key || o.header.eventId,
        value,
        headers: {
          [RecordHeader.tenant]: source.tenant,
          [RecordHeader.eventName]: o.header.eventName,
          [RecordHeader.schemaId]: String(o.schema.schemaId),
          [RecordHeader.schemaVersion]: String(o.schema.version),
        },
      });
      out.result.accepted += 1;
      for (const w of o.warnings) out.result.warnings.push({ index, eventId: o.header.eventId, reason: w.reason, message: w.message });
      return;
    }
    const reason = o.reasons[0]!;
    const value = JSON.stringify(
      rejectedRecord({
        tenant: source.tenant,
        batchId: raw.batchId,
        index,
        reasons: o.reasons,
        message: o.message,
        header: o.header,
        receivedAt: source.receivedAt,
        clientIp: source.clientIp,
        original: raw.events[index]!,
        commonBytes: raw.commonBytes,
      }),
    );
    out.bytes += value.length;
    out.rejected.push({
      key: o.header?.eventId || null,
      value,
      headers: { [RecordHeader.tenant]: source.tenant, [RecordHeader.reason]: reason, [RecordHeader.eventName]: o.header?.eventName ?? "" },
    });
    out.result.rejected += 1;
    out.result.rejections.push({ index, eventId: o.header?.eventId ?? "", reason, message: o.message });
    out.rejectedByReason.set(reason, (out.rejectedByReason.get(reason) ?? 0) + 1);
  });
  return out;
}
