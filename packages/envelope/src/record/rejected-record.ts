// Types only, from protobuf-es directly: the console's browser app imports this file on its own (./rejected-record).
import type { JsonValue } from "@bufbuild/protobuf";

/**
 * How a rejected record's `original` keeps the event's personal data (absent: as received, for records of ingests
 * without privacy settings and records written before protection existed).
 * - `policy`: the event decoded, so `original` is it re-encoded with the merged header (common + own) under the
 *   tenant's header policy and the properties under the contract's PII marks: DROP gone, MASK masked, TRUNCATE cut,
 *   and every HASH value a sealed token (`tw-sealed:v1:…`, AES-256-GCM with the tenant's data key `key_id`) that
 *   ingest opens and hashes when the event is replayed, so a replayed event gets the hash it would have had. No `common`.
 * - `sealed`: the event did not decode far enough to apply the policy (malformed, unknown event or version,
 *   properties that do not decode…), so `original` is base64 of the original and common bytes sealed together with
 *   the data key `key_id`; `common` is absent. Only a holder of the key (PostgreSQL) can open it.
 * A user's deletion request deletes the tenant's data key: what it sealed can no longer be opened (crypto-shredded).
 */
export type RejectedProtection = "policy" | "sealed";

/**
 * A rejected event as ingest writes it to `trackway.events.rejected.v1` (JSON): enough to understand, repair
 * and replay it. `original` is the event's encoded `trackway.event.v1.Event` and `common` the batch's common header
 * bytes, kept as `protection` says, so the event can be rebuilt even when nothing else parsed.
 * Ingest writes it; the CLI (`events rejected`/`replay`), ingest's Tail and the console's Failures page read it.
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
  /** Base64 of the event's bytes: as received, re-encoded under the policy, or sealed (see `protection`). */
  original: string;
  /** Base64 of the batch's `common` header bytes; absent when the batch had none or the record is protected. */
  common?: string;
  /** How `original` keeps personal data; absent: as received. */
  protection?: RejectedProtection;
  /** The tenant data key that sealed `original` (protection `sealed`) or its HASH values (`policy`). */
  key_id?: string;
  /**
   * The merged header (common + the event's own) in protobuf JSON under the tenant's header policy (HASH as the
   * tenant's HMAC, so deletions and joins match it); absent when the event did not parse.
   */
  header?: JsonValue;
  /** With reason CONTRACT_VIOLATION: the contract rules the event broke. */
  violations?: { field_path: string; rule_id: string; message: string }[];
}

/** The part of a rejected record that summaries and lists show (no bytes). */
export type RejectionSummaryFields = Pick<RejectedEventRecord, "tenant" | "reason" | "reasons" | "message" | "event_id" | "event_name" | "schema_version" | "received_at" | "client_ip" | "protection">;

const SUMMARY_FIELDS = ["tenant", "reason", "reasons", "message", "event_id", "event_name", "schema_version", "received_at", "client_ip", "protection"] as const;

/** The summary fields of a rejected record (never its bytes or header): what lists and the console keep and show. */
export function rejectionSummary(r: RejectedEventRecord): RejectionSummaryFields {
  const out: Record<string, unknown> = {};
  for (const k of SUMMARY_FIELDS) if (r[k] !== undefined) out[k] = r[k];
  return out as unknown as RejectionSummaryFields;
}
