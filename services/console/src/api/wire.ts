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

/** How a job's run is doing beyond Flink's state: `failing` once it has restarted, `degraded` while its checkpoints fail. */
export type JobCondition = "healthy" | "degraded" | "failing";

/** A job as the Jobs page shows it (`GET /api/jobs`). */
export interface JobView {
  jobId: string;
  definition: string;
  mode: string;
  state: string;
  flinkJobId: string;
  startedAt: string | null;
  lastCheckpointAt: string | null;
  recordsIn: number;
  recordsOut: number;
  savepointPath: string;
  failure: string;
  restarts: number;
  completedCheckpoints: number;
  failedCheckpoints: number;
  lastFailedCheckpointAt: string | null;
  lastException: string;
  lastExceptionAt: string | null;
  condition: JobCondition;
}

/** Freshness of an RPC's answer: events received up to `completeUpTo` are in it, read from `source`. */
export interface AnswerFreshness {
  completeUpTo: string | null;
  source: string;
}

/** What a trend series measures per bucket (the Trends RPC's measures the page offers). */
export type TrendMeasure = "TOTAL" | "UNIQUE_USERS";

/** `POST /api/insights/trends`: the Trends RPC's answer for the page. */
export interface TrendsAnswer {
  request: { start: string; end: string; granularity: "HOUR" | "DAY"; series: { eventName: string; measure: TrendMeasure }[]; breakdown: string };
  /** One per series, breakdown value and bucket with events, as the RPC answered. */
  points: { series: number; bucketStart: string; breakdownValue: string; value: number }[];
  freshness: AnswerFreshness;
  sql: string;
}

/** `POST /api/insights/retention`: the Retention RPC's answer for the page. */
export interface RetentionAnswer {
  request: { start: string; end: string; period: "DAY" | "WEEK"; periods: number; cohortEvent: string; returnEvent: string };
  cohorts: { cohortStart: string; users: number; returned: number[] }[];
  freshness: AnswerFreshness;
  sql: string;
}

/** `POST /api/failures/replay`: which of the tenant's rejected events to send again, and the repair to apply first. */
export interface ReplayForm {
  /** Event ids, as the Failures page lists them (1 to 100). */
  eventIds: string[];
  /** Header fields to overwrite, in protobuf JSON (for example `{"eventName": "shop.page_viewed"}`). */
  header?: Record<string, unknown>;
  /** New properties in protobuf JSON, replacing the event's. */
  properties?: unknown;
  /** Re-encode the properties for this schema version; "latest" for the newest usable one. */
  toVersion?: number | "latest";
  /** Only show the repaired events; send nothing. */
  dryRun?: boolean;
}

/** What a replay did per event: its repaired header and properties, and ingest's answer unless a dry run. */
export interface ReplayAnswer {
  dryRun: boolean;
  events: {
    eventId: string;
    eventName: string;
    schemaVersion: number;
    properties: unknown;
    /** "accepted" or "rejected" by ingest; "repaired" in a dry run; "skipped" when it could not be rebuilt or repaired. */
    outcome: "accepted" | "rejected" | "repaired" | "skipped";
    reason: string;
    message: string;
  }[];
  /** Event ids asked for that are not among the tenant's rejected events the console holds (sealed ones never are). */
  notFound: string[];
}

/** How fresh the warehouse is for the tenant: the newest receive time and the row count, with the SQL that read them. */
export interface WarehouseFreshness {
  sql: string;
  completeUpTo: string | null;
  events: number | string;
}

/** `POST /api/insights/funnel`: the Funnel RPC's answer for the page. */
export interface FunnelAnswer {
  request: { start: string; end: string; steps: string[]; windowMinutes: number };
  steps: { eventName: string; users: number; conversion: number }[];
  freshness: WarehouseFreshness;
  /** The SQL the gateway ran. */
  sql: string;
}
