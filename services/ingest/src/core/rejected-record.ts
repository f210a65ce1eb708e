import type { JsonValue } from "@trackway/envelope";
import { EventHeader } from "@trackway/proto/event/v1";

/**
 * A rejected event as it is written to `trackway.events.rejected.v1` (JSON): enough to understand, repair
 * and replay it. `original` is the event's own encoded `trackway.event.v1.Event` exactly as received and
 * `common` the batch's common header bytes, so the event can be rebuilt even when nothing else parsed.
 */
export interface RejectedEventRecord {
  tenant: string;
  batch_id: string;
  /** Position of the event in its batch, from 0. */
  index: number;
  /** The first (main) reason; also the one reported in the BatchResult. */
  reason: string;
  /** Every reason found, main one first. */
  reasons: string[];
  /** A sentence a person understands. */
  message: string;
  event_id?: string;
  event_name?: string;
  schema_version?: number;
  /** When ingest received the batch; ms since epoch. */
  received_at: number;
  client_ip?: string;
  /** Base64 of the event's original bytes. */
  original: string;
  /** Base64 of the batch's `common` header bytes; absent when the batch had none. */
  common?: string;
  /** The merged header (common + the event's own) in protobuf JSON; absent when the event did not parse. */
  header?: JsonValue;
  /** With reason CONTRACT_VIOLATION: the contract rules the event broke. */
  violations?: { field_path: string; rule_id: string; message: string }[];
}

/** What is known about a rejected event when it is rejected. */
export interface RejectedEventInput {
  tenant: string;
  batchId: string;
  index: number;
  reasons: string[];
  message: string;
  header: EventHeader | undefined;
  receivedAt: number;
  clientIp: string | undefined;
  original: Uint8Array;
  commonBytes: Uint8Array;
}

const base64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64");

/** Builds the rejected topic's record of a rejected event. */
export function rejectedRecord(r: RejectedEventInput): RejectedEventRecord {
  const out: RejectedEventRecord = {
    tenant: r.tenant,
    batch_id: r.batchId,
    index: r.index,
    reason: r.reasons[0] ?? "UNKNOWN",
    reasons: r.reasons,
    message: r.message,
    received_at: r.receivedAt,
    original: base64(r.original),
  };
  if (r.header?.eventId) out.event_id = r.header.eventId;
  if (r.header?.eventName) out.event_name = r.header.eventName;
  if (r.header) out.schema_version = r.header.schemaVersion;
  if (r.clientIp) out.client_ip = r.clientIp;
  if (r.commonBytes.length > 0) out.common = base64(r.commonBytes);
  // A time no Date holds (seconds = 9e12) cannot be written as RFC 3339: left out of the parsed header, still in `original`.
  if (r.header) out.header = EventHeader.toJSON({ ...r.header, eventTime: calendarDate(r.header.eventTime), sentAt: calendarDate(r.header.sentAt) }) as JsonValue;
  return out;
}

function calendarDate(d: Date | undefined): Date | undefined {
  return d && Number.isFinite(d.getTime()) ? d : undefined;
}
