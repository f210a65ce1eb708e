// Types only, and no imports but the rejected-record contract (itself types only): the browser app (web/, no Node
// types) imports this file type-only, so the page and the backend share one declaration of each answer.
import type { RejectionSummaryFields } from "@trackway/envelope/rejected-record";

/** One event of ingest's live tail, as `/api/live/tail` streams it: the tail's event with its record and properties parsed. */
export interface LiveEvent {
  accepted: boolean;
  eventId: string;
  eventName: string;
  schemaVersion: number;
  userId: string;
  reasons: string[];
  message: string;
  properties: unknown;
  record: unknown;
  droppedBefore: number;
  /** When the console received it (ms). */
  seenAt: number;
}

/** What the Failures page needs of one rejected event: the rejected record's contract, without its bytes. */
export type Rejection = RejectionSummaryFields;

/** Rejections grouped for the page: totals by reason and event, a per-bucket series by reason, newest examples. */
export interface FailureSummary {
  total: number;
  since: number;
  bucketMs: number;
  byReason: { reason: string; count: number }[];
  byEvent: { eventName: string; count: number }[];
  bySource: { source: string; count: number }[];
  /** Bucket starts (ms), oldest first, and one count per bucket for each reason. */
  series: { buckets: number[]; reasons: { reason: string; counts: number[] }[] };
  examples: Rejection[];
}

/** `GET /api/failures`: the summary, and whether the console's tail of the rejected topic is reading yet. */
export type FailuresAnswer = FailureSummary & { ready: boolean };
