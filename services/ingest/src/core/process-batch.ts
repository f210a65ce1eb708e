import { hasReplacementChar, identityKey, invalidUtf8Path } from "@trackway/envelope";
import { EventHeaderSchema } from "@trackway/proto/es/event/v1";
import type { BatchResult } from "@trackway/proto/ingest/v1";
import { violationColumns, violationWarning, type RuleCheck } from "./contract-rules.js";
import { eventColumns, recordJson, sharedColumns, sharedFragment } from "./enriched-event.js";
import type { IngestLimits } from "./limits.js";
import { OutcomeTally } from "./outcome-tally.js";
import type { RawBatch } from "./raw-batch.js";
import { rejectedRecord } from "./rejected-record.js";
import type { SchemaLookup } from "./schema-lookup.js";
import { applyHeaderPolicy, keepsAll, policyIp } from "./pii-header.js";
import { applyPropertiesPii, hasPii } from "./pii-properties.js";
import { isSuppressed, suppressesAnyone, type PrivacyLookup } from "./tenant-privacy.js";
import { protectRejected, type KeptBytes } from "./protect-rejected.js";
import type { SendGrants } from "./usage-grants.js";
import { RejectionReason } from "./reasons.js";
import { checkEvent, readEvent, type ReadEvent, type SchemaAnswer } from "./validate-event.js";

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
  /** The contracts' protovalidate rules (compiled validators cached per schema id); without it rules are not checked. */
  rules?: RuleCheck;
  /** Tenants' privacy settings (salt, header policy); without it PII marks and header policies are not applied. */
  privacy?: PrivacyLookup;
  /** Which tenants may send which event types; without it every tenant may send every type. */
  sendGrants?: SendGrants;
}

/** A processed batch: the records to produce and the result to send once Kafka acknowledged them. */
export interface ProcessedBatch {
  /** Enriched events for `trackway.events.v1`. */
  events: RecordSpec[];
  /** Rejected events for `trackway.events.rejected.v1`. */
  rejected: RecordSpec[];
  result: BatchResult;
  /** Events counted by name × version × outcome (accepted, warned, rejected), for the per-minute counters. */
  tally: OutcomeTally;
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
  if (raw.invalidUtf8) return { reason: "INVALID_UTF8", message: raw.invalidUtf8 };
  if (raw.byteLength > limits.maxBatchBytes) {
    return { reason: "BATCH_TOO_LARGE", message: `the batch is ${raw.byteLength} bytes; the limit is ${limits.maxBatchBytes}` };
  }
  if (raw.events.length > limits.maxBatchEvents) {
    return { reason: "BATCH_TOO_MANY_EVENTS", message: `the batch has ${raw.events.length} events; the limit is ${limits.maxBatchEvents}` };
  }
  return undefined;
}

/** The path of a string in the batch's common header that is not valid UTF-8, checked once for the batch. */
function commonUtf8Problem(raw: RawBatch): string | undefined {
  if (!raw.common || !hasReplacementChar(raw.common)) return undefined;
  const path = invalidUtf8Path(EventHeaderSchema, raw.commonBytes);
  return path === undefined ? undefined : `common.${path}`;
}

/** Asks the schema cache once per distinct name and version of a batch, telling an unknown event from an unknown version. */
async function answers(reads: ReadEvent[], schemas: SchemaLookup): Promise<Map<string, SchemaAnswer>> {
  const keys = new Map<string, { name: string; version: number }>();
  for (const r of reads) keys.set(`${r.header.eventName}\u0000${r.header.schemaVersion}`, { name: r.header.eventName, version: r.header.schemaVersion });
  const out = new Map<string, SchemaAnswer>();
  await Promise.all(
    [...keys].map(async ([k, { name, version }]) => {
      const schema = await schemas.get(name, version);
      if (schema) out.set(k, { schema });
      else out.set(k, { missing: version !== 0 && (await schemas.hasSubject(name)) ? "version" : "event" });
    }),
  );
  return out;
}

/**
 * Validates and enriches every event of a batch. Nothing is dropped: each event becomes either an enriched
 * record or a rejected record (and a rejection in the result). Registry failures propagate (the whole batch
 * is then retried by the client); everything else about an event is a rejection.
 */
export async function processBatch(raw: RawBatch, source: BatchSource, deps: BatchDeps): Promise<ProcessedBatch> {
  const ctx = {
    common: raw.common,
    batchSentAt: raw.sentAt,
    allowedEvents: source.allowedEvents,
    limits: deps.limits,
    receivedAt: source.receivedAt,
    commonInvalidUtf8: commonUtf8Problem(raw),
  };
  const read = raw.events.map((bytes) => readEvent(bytes, ctx));
  const grants = deps.sendGrants;
  if (grants) {
    await grants.ready();
    read.forEach((r, i) => {
      if (r.ok !== "read" || grants.maySend(r.header.eventName, source.tenant)) return;
      read[i] = {
        ok: false,
        reasons: [RejectionReason.EVENT_TYPE_NOT_GRANTED],
        message: `tenant "${source.tenant}" may not send "${r.header.eventName}": its owner restricts sending to other tenants (trackway schema usage)`,
        header: r.header,
      };
    });
  }
  const byKey = await answers(read.filter((r): r is ReadEvent => r.ok === "read"), deps.schemas);
  const outcomes = read.map((r) => (r.ok === "read" ? checkEvent(r, byKey.get(`${r.header.eventName}\u0000${r.header.schemaVersion}`)!, deps.rules) : r));
  // Personal data is pseudonymised here, before any record is built: raw values marked HASH or DROP never reach Kafka.
  const privacy = await deps.privacy?.get(source.tenant);
  const headerPolicy = privacy && !keepsAll(privacy.header) ? privacy.header : undefined;
  const clientIp = privacy && headerPolicy ? policyIp(source.clientIp, headerPolicy, privacy.hash) : source.clientIp;
  // Events of a suppressed user (by user, anonymous or device id) are rejected; their records keep no original bytes and no ids.
  const suppressed = new Set<number>();
  if (privacy && suppressesAnyone(privacy)) {
    outcomes.forEach((o, i) => {
      if (!o.ok || !isSuppressed(privacy, o.header.identity)) return;
      suppressed.add(i);
      const header = { ...o.header, identity: { ...o.header.identity!, userId: "", anonymousId: "", deviceId: "" } };
      outcomes[i] = { ok: false, reasons: [RejectionReason.USER_SUPPRESSED], message: "the event's user asked to be deleted: the tenant suppresses their events", header };
    });
  }
  // What each rejected record keeps of its event's bytes: protected under the tenant's policy (see protectRejected).
  const kept = new Map<number, KeptBytes>();
  if (privacy) {
    outcomes.forEach((o, i) => {
      if (!o.ok) {
        if (!suppressed.has(i)) {
          kept.set(i, protectRejected({ tenant: source.tenant, original: raw.events[i]!, common: raw.commonBytes, header: o.header, schema: o.schema, properties: o.properties }, privacy.header, privacy.dataKey));
        }
        // The record's parsed header follows the policy too (hashes, so deletions and joins match it).
        if (headerPolicy && o.header) o.header = applyHeaderPolicy(o.header, undefined, headerPolicy, privacy.hash).header;
        return;
      }
      if (hasPii(o.schema.message)) applyPropertiesPii(o.schema.message, o.properties, privacy.hash);
      if (headerPolicy) o.header = applyHeaderPolicy(o.header, undefined, headerPolicy, privacy.hash).header;
    });
  }

  const out: ProcessedBatch = {
    events: [],
    rejected: [],
    result: { batchId: raw.batchId, accepted: 0, rejected: 0, rejections: [], warnings: [] },
    rejectedByReason: new Map(),
    bytes: 0,
    tally: new OutcomeTally(),
  };
  // Columns every inheriting event shares (identity, context…), serialised once for the batch.
  let shared: { fragment: string; key: string } | undefined;
  outcomes.forEach((o, index) => {
    if (o.ok) {
      const columns = eventColumns(o.header, {
        tenant: source.tenant,
        schemaId: o.schema.schemaId,
        schemaVersion: o.schema.version,
        receivedAt: source.receivedAt,
        properties: o.properties,
        // A contract warning also lists each broken rule as `CONTRACT_VIOLATION:<field path>:<rule id>`, so the
        // violations stay with the event in the warehouse's `warnings` column.
        warnings: o.warnings.flatMap((w) => [w.reason, ...(w.violations ?? []).map(violationWarning)]),
        time: o.time,
      });
      let key: string;
      let value: string;
      if (o.inheritsShared) {
        if (!shared) {
          const k = identityKey(o.header);
          shared = { key: k, fragment: sharedFragment(sharedColumns(o.header, { batchId: raw.batchId, identityKey: k, clientIp })) };
        }
        key = shared.key;
        value = recordJson(columns, shared.fragment);
      } else {
        key = identityKey(o.header);
        value = recordJson(columns, sharedFragment(sharedColumns(o.header, { batchId: raw.batchId, identityKey: key, clientIp })));
      }
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
      out.tally.add(o.header.eventName, o.schema.version, o.warnings.some((w) => w.violations) ? "warned" : "accepted");
      for (const w of o.warnings) out.result.warnings.push({ index, eventId: o.header.eventId, reason: w.reason, message: w.message, violations: w.violations ?? [] });
      return;
    }
    const reason = o.reasons[0]!;
    const record = rejectedRecord({
        tenant: source.tenant,
        batchId: raw.batchId,
        index,
        reasons: o.reasons,
        message: o.message,
        header: o.header,
        receivedAt: source.receivedAt,
        clientIp,
        original: suppressed.has(index) ? new Uint8Array(0) : (kept.get(index)?.original ?? raw.events[index]!),
        commonBytes: suppressed.has(index) ? new Uint8Array(0) : (kept.get(index)?.common ?? raw.commonBytes),
        protection: kept.get(index)?.protection,
        keyId: kept.get(index)?.keyId,
      });
    if (o.violations) record.violations = violationColumns(o.violations);
    const value = JSON.stringify(record);
    out.bytes += value.length;
    out.rejected.push({
      key: o.header?.eventId || null,
      value,
      headers: { [RecordHeader.tenant]: source.tenant, [RecordHeader.reason]: reason, [RecordHeader.eventName]: o.header?.eventName ?? "" },
    });
    out.result.rejected += 1;
    out.tally.add(o.header?.eventName ?? "", o.header?.schemaVersion ?? 0, "rejected");
    out.result.rejections.push({ index, eventId: o.header?.eventId ?? "", reason, message: o.message, violations: o.violations ?? [] });
    out.rejectedByReason.set(reason, (out.rejectedByReason.get(reason) ?? 0) + 1);
  });
  return out;
}
