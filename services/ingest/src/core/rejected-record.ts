import type { JsonValue, RejectedEventRecord } from "@trackway/envelope";
import { EventHeader } from "@trackway/proto/event/v1";

/** The rejected topic's record; its contract lives in @trackway/envelope beside the enriched event's. */
export type { RejectedEventRecord };

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
  /** How `original` was protected (see protectRejected); undefined: as received. */
  protection?: RejectedEventRecord["protection"];
  keyId?: string;
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
  if (r.protection) out.protection = r.protection;
  if (r.keyId) out.key_id = r.keyId;
  // A time no Date holds (seconds = 9e12) cannot be written as RFC 3339: left out of the parsed header, still in `original`.
  if (r.header) out.header = EventHeader.toJSON({ ...r.header, eventTime: calendarDate(r.header.eventTime), sentAt: calendarDate(r.header.sentAt) }) as JsonValue;
  return out;
}

function calendarDate(d: Date | undefined): Date | undefined {
  return d && Number.isFinite(d.getTime()) ? d : undefined;
}
