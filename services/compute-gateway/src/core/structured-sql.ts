import { Refusal } from "./refusal.js";
import { stringLiteral } from "./sql-literal.js";
import { rangeFilter } from "./analytics/buckets.js";

/** Bucket size of a structured query. */
export type BucketSize = "MINUTE" | "HOUR" | "DAY";

/** A time range: start included, end excluded. */
export interface Range {
  start: Date;
  end: Date;
}

const UNIT_MS: Record<BucketSize, number> = { MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };
/** Most buckets one structured query may return (a year of hours is 8784). */
export const MAX_BUCKETS = 100_000;
/** Most event names one count may filter on. */
export const MAX_EVENT_NAMES = 100;

/** Checks a range and bucket size; throws a Refusal (ARGUMENT_INVALID) naming what is wrong. */
export function checkRange(range: Partial<Range> | undefined, size: BucketSize): Range {
  const { start, end } = range ?? {};
  if (!start || !end || Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
    throw new Refusal("ARGUMENT_INVALID", "range.start and range.end are required");
  }
  if (start >= end) throw new Refusal("ARGUMENT_INVALID", "range.start must be before range.end");
  const buckets = Math.ceil((end.getTime() - start.getTime()) / UNIT_MS[size]);
  if (buckets > MAX_BUCKETS) throw new Refusal("ARGUMENT_INVALID", `the range spans ${buckets} ${size} buckets; at most ${MAX_BUCKETS}: use a coarser granularity`);
  return { start, end };
}

function checkNames(names: readonly string[], what: string): void {
  if (names.length > MAX_EVENT_NAMES) throw new Refusal("ARGUMENT_INVALID", `at most ${MAX_EVENT_NAMES} ${what}`);
  if (names.some((n) => n.trim() === "")) throw new Refusal("ARGUMENT_INVALID", `${what} must not be empty strings`);
}

const nameFilter = (names: readonly string[]) => (names.length === 0 ? "" : ` AND event_name IN (${names.map(stringLiteral).join(", ")})`);

/**
 * Events per bucket and name over ods_events, and distinct users (user_key). Rows are counted, not distinct
 * event ids: ods_events holds each event id once (Hudi upserts on it within its event_date partition; two copies
 * of one event could only land on different dates within milliseconds of midnight), and COUNT(DISTINCT event_id)
 * costs about twice the whole query on 1M events (bench/query). Columns: bucket_start, event_name, event_count,
 * unique_users.
 */
export function countEventsSql(range: Range, size: BucketSize, eventNames: readonly string[]): string {
  checkNames(eventNames, "event names");
  return [
    "SELECT bucket_start, event_name, COUNT(*) AS event_count, COUNT(DISTINCT user_key) AS unique_users",
    `FROM (SELECT FLOOR(event_time TO ${size}) AS bucket_start, event_name, user_key FROM ods_events`,
    `  WHERE ${rangeFilter(range)}${nameFilter(eventNames)})`,
    "GROUP BY bucket_start, event_name",
    "ORDER BY bucket_start, event_name",
  ].join("\n");
}

/**
 * Distinct users per bucket and over the whole range in one pass (GROUPING SETS: the row with a NULL
 * bucket_start is the total). Only events with a user key count. Columns: bucket_start, users.
 */
export function countUniqueUsersSql(range: Range, size: BucketSize, eventNames: readonly string[]): string {
  checkNames(eventNames, "event names");
  return [
    "SELECT bucket_start, COUNT(DISTINCT user_key) AS users",
    `FROM (SELECT FLOOR(event_time TO ${size}) AS bucket_start, user_key FROM ods_events`,
    `  WHERE ${rangeFilter(range)} AND user_key IS NOT NULL${nameFilter(eventNames)})`,
    "GROUP BY GROUPING SETS ((bucket_start), ())",
  ].join("\n");
}
