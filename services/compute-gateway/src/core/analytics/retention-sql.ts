import { Refusal } from "../refusal.js";
import { stringLiteral } from "../sql-literal.js";
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
}

/** Most periods a cohort is followed over. */
export const MAX_RETENTION_PERIODS = 90;
const DAYS = { DAY: 1, WEEK: 7 } as const;

const nameIs = (name: string) => (name === "" ? "" : ` AND event_name = ${stringLiteral(name)}`);

/**
 * Cohorts by the period of each user's first cohort event in the range; period k counts the cohort's users with a
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
    `WITH c AS (SELECT user_key, ${bucketExpr(r.period, "MIN(event_time)")} AS cohort_start FROM ods_events WHERE ${rangeFilter(r.range)} AND user_key IS NOT NULL${nameIs(r.cohortEvent)} GROUP BY user_key),`,
    `e AS (SELECT user_key, event_time FROM ods_events WHERE ${rangeFilter(scan)} AND user_key IS NOT NULL${nameIs(r.returnEvent)}),`,
    `r AS (SELECT DISTINCT c.cohort_start, c.user_key, TIMESTAMPDIFF(${r.period}, c.cohort_start, e.event_time) AS k FROM c JOIN e ON e.user_key = c.user_key`,
    `  WHERE e.event_time >= TIMESTAMPADD(DAY, ${days}, c.cohort_start) AND e.event_time < TIMESTAMPADD(DAY, ${days * (r.periods + 1)}, c.cohort_start))`,
    "SELECT cohort_start, 0 AS k, COUNT(*) AS users FROM c GROUP BY cohort_start",
    "UNION ALL",
    "SELECT cohort_start, k, COUNT(*) AS users FROM r GROUP BY cohort_start, k",
  ].join("\n");
  return withFreshness(sql, [odsSource(r.range.start)]);
}
