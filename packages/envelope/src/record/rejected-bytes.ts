import type { RejectedEventRecord } from "./rejected-record.js";
import { openOriginal, type DataKey } from "./sealed.js";

/** A rejected event's bytes as a reader rebuilds it from, or why it cannot. */
export type RejectedBytes =
  | { ok: true; original: Buffer; common: Buffer }
  /** `sealed` with a key the reader lacks: deleted by a deletion request (crypto-shredded) or not given. */
  | { ok: false; reason: "KEY_UNAVAILABLE" };

/**
 * The event bytes of a rejected record, whatever its protection: as stored (none, `policy`) or opened with the
 * tenant's data key (`sealed`). Replay and repair read records through this, never `original` directly.
 */
export function rejectedEventBytes(r: Pick<RejectedEventRecord, "tenant" | "original" | "common" | "protection">, key: DataKey | undefined): RejectedBytes {
  if (r.protection === "sealed") {
    const opened = openOriginal(key, r.tenant, r.original);
    return opened ? { ok: true, ...opened } : { ok: false, reason: "KEY_UNAVAILABLE" };
  }
  return { ok: true, original: Buffer.from(r.original, "base64"), common: Buffer.from(r.common ?? "", "base64") };
}
