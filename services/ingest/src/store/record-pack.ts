import type { RecordSpec } from "../core/process-batch.js";

/** A record as the Kafka client takes it: the value and header values already UTF-8 bytes. */
export interface EncodedRecord {
  key: string | null;
  value: Buffer;
  headers: Record<string, Buffer>;
}

/** One topic's records packed for a worker: all values in one transferable buffer, header sets listed once. */
export interface PackedRecords {
  buffer: ArrayBuffer;
  /** End offset of each record's value in `buffer`. */
  ends: Uint32Array;
  keys: (string | null)[];
  /** Distinct header sets, and which one each record has. */
  headerSets: Record<string, string>[];
  headerOf: Uint16Array;
}

/**
 * Packs records to hand them to another thread cheaply: the JSON values are written as UTF-8 into one buffer
 * that is transferred, not copied, and the few distinct header sets of a batch (tenant, name, schema) are
 * sent once. The producing thread then gives kafkajs ready bytes instead of strings to encode.
 */
export function packRecords(records: RecordSpec[]): PackedRecords {
  const sizes = records.map((r) => Buffer.byteLength(r.value, "utf8"));
  const buf = Buffer.allocUnsafeSlow(sizes.reduce((a, b) => a + b, 0));
  const ends = new Uint32Array(records.length);
  const headerSets: Record<string, string>[] = [];
  const seen = new Map<string, number>();
  const headerOf = new Uint16Array(records.length);
  let at = 0;
  records.forEach((r, i) => {
    at += buf.write(r.value, at, "utf8");
    ends[i] = at;
    const k = JSON.stringify(r.headers);
    let h = seen.get(k);
    if (h === undefined) {
      h = headerSets.push(r.headers) - 1;
      seen.set(k, h);
    }
    headerOf[i] = h;
  });
  return { buffer: buf.buffer as ArrayBuffer, ends, keys: records.map((r) => r.key), headerSets, headerOf };
}

/** The records of a pack, values as views into its buffer and header values encoded once per set. */
export function unpackRecords(p: PackedRecords): EncodedRecord[] {
  const all = Buffer.from(p.buffer);
  const sets = p.headerSets.map((h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Buffer.from(v, "utf8")])));
  const out: EncodedRecord[] = new Array(p.keys.length);
  let start = 0;
  for (let i = 0; i < p.keys.length; i++) {
    out[i] = { key: p.keys[i]!, value: all.subarray(start, p.ends[i]), headers: sets[p.headerOf[i]!]! };
    start = p.ends[i]!;
  }
  return out;
}
