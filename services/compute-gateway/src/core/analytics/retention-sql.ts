import { Refusal } from "../refusal.js";
import { stringLiteral, timestampLiteral, utcDate } from "../sql-literal.js";
import { bucketExpr, rangeFilter, type Range } from "./buckets.js";
import { odsSource, withFreshness } from "./freshness.js";

/** A retention question. */
export interface RetentionSpec {
  range: Range;
  /** Empty: any event. */
  cohortEvent: string;
  /** Empty: any event. */
  returnEvent: string;
  period: "DAY" | "WEEK";
  periods: number;
  /** Cohort by each user's first cohort event ever (all history before range.end), not the first in the range. */
  firstEver?: boolean;
}

/** Most periods a cohort is followed over. */
export const MAX_RETENTION_PERIODS = 90;
const DAYS = { DAY: 1, WEEK: 7 } as const;

const nameIs = (name: string) => (name === "" ? "" : ` AND event_name = ${stringLiteral(name)}`);

/**
 * Each user's first cohort event over all history before the range's end (no lower bound, so every partition up
 * to the range's last day is read); kept only when that first one falls in the range.
 */
function firstEverCohorts(r: RetentionSpec): string {
  const lastDay = utcDate(new Date(r.range.end.getTime() - 1));
  return (
    `SELECT user_key, ${bucketExpr(r.period, "MIN(event_time)")} AS cohort_start FROM ods_events ` +
    `WHERE event_time < ${timestampLiteral(r.range.end)} AND event_date <= ${stringLiteral(lastDay)} AND user_key IS NOT NULL${nameIs(r.cohortEvent)} ` +
    `GROUP BY user_key HAVING MIN(event_time) >= ${timestampLiteral(r.range.start)}`
  );
}

/**
 * Cohorts by the period of each user's first cohort event in the range (or ever, with `firstEver`); period k counts the cohort's users with a
 * return event in [cohort start + k periods, + k+1 periods). Period 0 is the cohort's size. Columns: cohort_start,
 * k (the period index), users, complete_up_to.
 */
export function retentionSql(r: RetentionSpec): string {
  if (!(Number.isInteger(r.periods) && r.periods >= 1 && r.periods <= MAX_RETENTION_PERIODS)) {
    throw new Refusal("ARGUMENT_INVALID", `periods must be 1 to ${MAX_RETENTION_PERIODS}`);
  }
  const days = DAYS[r.period];
  // Returns of the last cohort can happen up to periods + 1 periods after the range ends.
  const scan: Range = { start: r.range.start, end: new Date(r.range.end.getTime() + (r.periods + 1) * days * 86_400_000) };
  const sql = [
    `WITH c AS (${r.firstEver ? firstEverCohorts(r) : `SELECT user_key, ${bucketExpr(r.period, "MIN(event_time)")} AS cohort_start FROM ods_events WHERE ${rangeFilter(r.range)} AND user_key IS NOT NULL${nameIs(r.cohortEvent)} GROUP BY user_key`}),`,
    `e AS (SELECT user_key, event_time FROM ods_events WHERE ${rangeFilter(scan)} AND user_key IS NOT NULL${nameIs(r.returnEvent)}),`,
    `r AS (SELECT DISTINCT c.cohort_start, c.user_key, TIMESTAMPDIFF(${r.period}, c.cohort_start, e.event_time) AS k FROM c JOIN e ON e.user_key = c.user_key`,
    `  WHERE e.event_time >= TIMESTAMPADD(DAY, ${days}, c.cohort_start) AND e.event_time < TIMESTAMPADD(DAY, ${days * (r.periods + 1)}, c.cohort_start))`,
    "SELECT cohort_start, 0 AS k, COUNT(*) AS users FROM c GROUP BY cohort_start",
    "UNION ALL",
    "SELECT cohort_start, k, COUNT(*) AS users FROM r GROUP BY cohort_start, k",
  ].join("\n");
  return withFreshness(sql, [odsSource(r.range.start)]);
}
