import { Refusal } from "../refusal.js";
import { stringLiteral } from "../sql-literal.js";
import { rangeFilter, type Range } from "./buckets.js";
import { odsSource, withFreshness } from "./freshness.js";

/**
 * Stickiness: per user who did the event in the range, the number of distinct UTC days with it; users per
 * number of days. Columns: days, users, complete_up_to.
 */
export function stickinessSql(range: Range, eventName: string): string {
  if (eventName.trim() === "") throw new Refusal("ARGUMENT_INVALID", "event_name is required");
  const perUser = `SELECT user_key, COUNT(DISTINCT CAST(event_time AS DATE)) AS days FROM ods_events WHERE ${rangeFilter(range)} AND user_key IS NOT NULL AND event_name = ${stringLiteral(eventName)} GROUP BY user_key`;
  return withFreshness(`SELECT CAST(days AS INT) AS days, COUNT(*) AS users FROM (${perUser}) GROUP BY days`, [odsSource(range.start)]);
}
