import type { TimeRules } from "./event-time.js";

/** Size and time limits ingest enforces on every batch. */
export interface IngestLimits extends TimeRules {
  /** Largest batch request, in bytes after decompression; larger ones are refused whole. */
  maxBatchBytes: number;
  /** Most events in one batch; more are refused whole. */
  maxBatchEvents: number;
  /** Largest single encoded event (header + properties); a larger one is rejected alone (EVENT_TOO_LARGE). */
  maxEventBytes: number;
}

/** The limits when the configuration sets none. */
export const DEFAULT_LIMITS: IngestLimits = {
  maxBatchBytes: 4 * 1024 * 1024,
  maxBatchEvents: 5000,
  maxEventBytes: 64 * 1024,
  maxFutureMs: 60 * 60_000,
  maxAgeMs: 3650 * 86_400_000,
};
