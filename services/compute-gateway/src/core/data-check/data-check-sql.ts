import { Refusal } from "../refusal.js";
import { stringLiteral } from "../sql-literal.js";
import { rangeFilter, type Range } from "../analytics/buckets.js";

/** Longest window a data check may read. */
export const MAX_WINDOW_MS = 90 * 86_400_000;
/** Events read when the caller gives no sample limit, and the most it may ask for. */
export const DEFAULT_SAMPLE_LIMIT = 10_000;
export const MAX_SAMPLE_LIMIT = 1_000_000;

/** The range `windowMs` back from `now`; refuses an empty or too long window. */
export function windowRange(windowMs: number, now: Date): Range {
  if (!Number.isFinite(windowMs) || windowMs <= 0) throw new Refusal("ARGUMENT_INVALID", "window is required and must be positive (for example 7d)");
  if (windowMs > MAX_WINDOW_MS) throw new Refusal("ARGUMENT_INVALID", `window is ${Math.ceil(windowMs / 86_400_000)} days; at most 90 days`);
  return { start: new Date(now.getTime() - windowMs), end: now };
}

/** Checks a sample limit; 0 is the default. */
export function sampleLimitOf(n: number): number {
  if (n === 0) return DEFAULT_SAMPLE_LIMIT;
  if (n > MAX_SAMPLE_LIMIT) throw new Refusal("ARGUMENT_INVALID", `sample_limit is ${n}; at most ${MAX_SAMPLE_LIMIT}`);
  return n;
}

/**
 * The newest `limit + 1` events of one name in the range (one more than the limit tells that the window held
 * more): event_id, schema_version, properties. Run in the tenant's session, whose ods_events is its rows only.
 */
export function dataCheckSql(eventName: string, range: Range, limit: number): string {
  if (eventName.trim() === "") throw new Refusal("ARGUMENT_INVALID", "event_name is required");
  return `SELECT event_id, schema_version, properties FROM ods_events WHERE ${rangeFilter(range)} AND event_name = ${stringLiteral(eventName)} ORDER BY event_time DESC LIMIT ${limit + 1}`;
}
