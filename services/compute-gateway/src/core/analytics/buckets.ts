import { Refusal } from "../refusal.js";
import { stringLiteral, timestampLiteral, utcDate } from "../sql-literal.js";

/** Bucket size of an analytics query, MINUTE to MONTH (weeks start Monday, all UTC). */
export type Period = "MINUTE" | "HOUR" | "DAY" | "WEEK" | "MONTH";

/** A time range: start included, end excluded. */
export interface Range {
  start: Date;
  end: Date;
}

// A month counts as 28 days here: the bucket limit is a bound on work, not a calendar.
const APPROX_MS: Record<Period, number> = { MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000, WEEK: 7 * 86_400_000, MONTH: 28 * 86_400_000 };

/** Most buckets one analytics query may span. */
export const MAX_PERIOD_BUCKETS = 100_000;

/** Checks a range for a bucket size; throws a Refusal (ARGUMENT_INVALID) naming what is wrong. */
export function checkPeriodRange(range: Partial<Range> | undefined, period: Period): Range {
  const { start, end } = range ?? {};
  if (!start || !end || Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
    throw new Refusal("ARGUMENT_INVALID", "range.start and range.end are required");
  }
  if (start >= end) throw new Refusal("ARGUMENT_INVALID", "range.start must be before range.end");
  const buckets = Math.ceil((end.getTime() - start.getTime()) / APPROX_MS[period]);
  if (buckets > MAX_PERIOD_BUCKETS) throw new Refusal("ARGUMENT_INVALID", `the range spans ${buckets} ${period} buckets; at most ${MAX_PERIOD_BUCKETS}: use a coarser granularity`);
  return { start, end };
}

/**
 * The SQL of a timestamp column's bucket start. Weeks are computed, not `FLOOR(… TO WEEK)`: Flink 1.17's
 * week floor starts on Sunday, and ISO weeks (Monday) are what analysts compare.
 */
export function bucketExpr(period: Period, column = "event_time"): string {
  if (period !== "WEEK") return `FLOOR(${column} TO ${period})`;
  const day = `CAST(${column} AS DATE)`;
  return `TIMESTAMPADD(DAY, -MOD(DAYOFWEEK(${day}) + 5, 7), CAST(${day} AS TIMESTAMP(3)))`;
}

/** Start of the bucket holding an instant, computed in the test-free pure way (used to align DWS reads). */
export function bucketStart(period: Period, t: Date): Date {
  const d = new Date(t.getTime());
  if (period === "MINUTE") return new Date(Math.floor(d.getTime() / 60_000) * 60_000);
  if (period === "HOUR") return new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000);
  const day = new Date(Math.floor(d.getTime() / 86_400_000) * 86_400_000);
  if (period === "DAY") return day;
  if (period === "WEEK") return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}

/** The WHERE conditions of a range: event time, plus the event_date partitions it touches so Hudi prunes files. */
export function rangeFilter(r: Range, column = "event_time"): string {
  const lastDay = utcDate(new Date(r.end.getTime() - 1));
  return [
    `${column} >= ${timestampLiteral(r.start)}`,
    `${column} < ${timestampLiteral(r.end)}`,
    `event_date >= ${stringLiteral(utcDate(r.start))}`,
    `event_date <= ${stringLiteral(lastDay)}`,
  ].join(" AND ");
}
