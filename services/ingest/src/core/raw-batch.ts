import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { EventHeader } from "@trackway/proto/event/v1";
import { Timestamp } from "@trackway/proto/google/protobuf/timestamp";

/**
 * A batch as it came off the wire: the batch fields decoded, each event kept as its own original bytes.
 * Keeping the bytes lets one malformed or oversized event be rejected (and stored verbatim on the
 * rejected topic) without failing the whole batch, and lets size limits apply before any decoding.
 */
export interface RawBatch {
  batchId: string;
  sentAt: Date | undefined;
  /** The batch's `common` header, decoded; undefined when absent. */
  common: EventHeader | undefined;
  /** The `common` header's original bytes (empty when absent), kept for the rejected topic. */
  commonBytes: Uint8Array;
  /** Each event's original encoded `trackway.event.v1.Event`. */
  events: Uint8Array[];
  /** Size of the whole request message in bytes, after decompression. */
  byteLength: number;
  /** Set when the request could not be read at all: a sentence saying why. */
  malformed?: string;
  /** Set when `batch_id` is not valid UTF-8 (decoders would replace it silently): a sentence saying so. */
  invalidUtf8?: string;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

const toDate = (ts: Timestamp): Date => new Date(ts.seconds * 1000 + Math.floor(ts.nanos / 1e6));

/** Reads an `EventBatch` message into `out`, keeping the events as raw bytes. Throws on malformed input. */
function readEventBatch(bytes: Uint8Array, out: RawBatch): void {
  const reader = new BinaryReader(bytes);
  const commonParts: Uint8Array[] = [];
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.LengthDelimited) {
      const id = reader.bytes();
      try {
        out.batchId = strictUtf8.decode(id);
      } catch {
        out.batchId = new TextDecoder().decode(id);
        out.invalidUtf8 = "batch_id is not valid UTF-8";
      }
    }
    else if (field === 2 && wireType === WireType.LengthDelimited) out.sentAt = toDate(Timestamp.decode(reader.bytes()));
    else if (field === 3 && wireType === WireType.LengthDelimited) commonParts.push(reader.bytes());
    else if (field === 4 && wireType === WireType.LengthDelimited) out.events.push(reader.bytes());
    else reader.skip(wireType, field);
  }
  if (commonParts.length > 0) {
    // Several occurrences of a message field merge; their concatenated bytes decode to exactly that merge.
    out.commonBytes = concat(commonParts);
    out.common = EventHeader.decode(out.commonBytes);
  }
}

/**
 * Reads an `IngestRequest` or `SendBatchRequest` (both are `{ EventBatch batch = 1; }`) without decoding the
 * events. Never throws: a request that cannot be read comes back with `malformed` set, so the handler can
 * answer INVALID_ARGUMENT with a reason instead of grpc-js's generic INTERNAL for a failed deserializer.
 */
export function readRawBatchRequest(bytes: Uint8Array): RawBatch {
  const out: RawBatch = { batchId: "", sentAt: undefined, common: undefined, commonBytes: new Uint8Array(0), events: [], byteLength: bytes.length };
  try {
    const reader = new BinaryReader(bytes);
    const batchParts: Uint8Array[] = [];
    while (reader.pos < reader.len) {
      const [field, wireType] = reader.tag();
      if (field === 1 && wireType === WireType.LengthDelimited) batchParts.push(reader.bytes());
      else reader.skip(wireType, field);
    }
    if (batchParts.length === 0) out.malformed = "the request carries no batch";
    else readEventBatch(concat(batchParts), out);
  } catch (e) {
    out.malformed = `the request is not a valid EventBatch: ${e instanceof Error ? e.message : String(e)}`;
    out.events = [];
  }
  return out;
}
