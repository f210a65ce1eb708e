// Types only, from protobuf-es directly: the console's browser app imports this file on its own (./rejected-record).
import type { JsonValue } from "@bufbuild/protobuf";

/**
 * A rejected event as ingest writes it to `trackway.events.rejected.v1` (JSON): enough to understand, repair
 * and replay it. `original` is the event's own encoded `trackway.event.v1.Event` exactly as received and
 * `common` the batch's common header bytes, so the event can be rebuilt even when nothing else parsed.
 * Ingest writes it; the CLI (`events rejected`/`replay`) and the console's Failures page read it.
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

/** The part of a rejected record that summaries and lists show (no bytes). */
export type RejectionSummaryFields = Pick<RejectedEventRecord, "tenant" | "reason" | "reasons" | "message" | "event_id" | "event_name" | "schema_version" | "received_at" | "client_ip">;
