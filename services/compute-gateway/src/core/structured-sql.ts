import { Refusal } from "./refusal.js";
import { stringLiteral, timestampLiteral, utcDate } from "./sql-literal.js";

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
/** Longest funnel conversion window. */
export const MAX_FUNNEL_WINDOW_MS = 90 * 86_400_000;

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

/** The WHERE conditions of a range: event time, plus the event_date partitions it touches so Hudi prunes files. */
function rangeFilter(r: Range, column = "event_time"): string {
  const lastDay = utcDate(new Date(r.end.getTime() - 1));
  return [
    `${column} >= ${timestampLiteral(r.start)}`,
    `${column} < ${timestampLiteral(r.end)}`,
    `event_date >= ${stringLiteral(utcDate(r.start))}`,
    `event_date <= ${stringLiteral(lastDay)}`,
  ].join(" AND ");
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

/** Checks funnel steps (2 to 5 names) and the window (whole seconds, up to 90 days); returns the window in seconds. */
export function checkFunnel(steps: readonly string[], windowMs: number): number {
  if (steps.length < 2 || steps.length > 5) throw new Refusal("ARGUMENT_INVALID", `a funnel has 2 to 5 steps, got ${steps.length}`);
  checkNames(steps, "steps");
  if (!(windowMs >= 1000) || windowMs > MAX_FUNNEL_WINDOW_MS || windowMs % 1000 !== 0) {
    throw new Refusal("ARGUMENT_INVALID", "window must be a whole number of seconds from 1 s to 90 days");
  }
  return windowMs / 1000;
}

/**
 * An ordered funnel in plain joins and aggregates, so it runs in BATCH mode (MATCH_RECOGNIZE is streaming-only
 * in Flink 1.17). Per user: t1 = the first step-1 event in the range; step k+1 is the first event of that name
 * strictly after step k's time and at most `window` after t1. A user counts at step k when every step up to
 * k happened so. Columns: step (1-based), users.
 */
export function funnelSql(range: Range, steps: readonly string[], windowMs: number): string {
  const windowS = checkFunnel(steps, windowMs);
  // Later steps may happen up to one window after the range ends.
  const scan: Range = { start: range.start, end: new Date(range.end.getTime() + windowMs) };
  const lines = [
    "WITH e AS (",
    "  SELECT user_key, event_name, event_time FROM ods_events",
    `  WHERE ${rangeFilter(scan)} AND user_key IS NOT NULL${nameFilter([...new Set(steps)])}`,
    "),",
    "s1 AS (",
    `  SELECT user_key, MIN(event_time) AS t1, MIN(event_time) AS tk FROM e`,
    `  WHERE event_name = ${stringLiteral(steps[0]!)} AND event_time < ${timestampLiteral(range.end)}`,
    "  GROUP BY user_key",
    ")",
  ];
  for (let k = 2; k <= steps.length; k++) {
    const prev = `s${k - 1}`;
    lines[lines.length - 1] = "),";
    lines.push(
      `s${k} AS (`,
      `  SELECT p.user_key, p.t1, MIN(e.event_time) AS tk FROM ${prev} AS p JOIN e ON e.user_key = p.user_key`,
      `  WHERE e.event_name = ${stringLiteral(steps[k - 1]!)} AND e.event_time > p.tk AND e.event_time <= TIMESTAMPADD(SECOND, ${windowS}, p.t1)`,
      "  GROUP BY p.user_key, p.t1",
      ")",
    );
  }
  const counts = steps.map((_s, i) => `SELECT ${i + 1} AS step, COUNT(*) AS users FROM s${i + 1}`);
  return [...lines, counts.join("\nUNION ALL\n")].join("\n");
}

/** Per-step results of a funnel: users and conversion from the first step (0 when nobody started). */
export function funnelSteps(steps: readonly string[], counts: ReadonlyMap<number, number>): { eventName: string; users: number; conversion: number }[] {
  const first = counts.get(1) ?? 0;
  return steps.map((eventName, i) => {
    const users = counts.get(i + 1) ?? 0;
    return { eventName, users, conversion: first === 0 ? 0 : users / first };
  });
}
