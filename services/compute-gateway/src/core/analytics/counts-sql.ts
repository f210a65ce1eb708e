import { countEventsSql, countUniqueUsersSql, type BucketSize, type Range } from "../structured-sql.js";
import { stringLiteral, timestampLiteral } from "../sql-literal.js";
import { dwsTableFor } from "./dws-route.js";
import { dwsSource, odsSource, withFreshness } from "./freshness.js";

/**
 * CountEvents' SQL with its freshness: from a DWS activity table when one holds the answer (HOUR or DAY buckets on
 * the range's bounds), else from ods_events. Columns: bucket_start, event_name, event_count, unique_users,
 * complete_up_to; rows in no order.
 */
export function countEventsAnswerSql(range: Range, size: BucketSize, names: readonly string[], available: ReadonlySet<string>): { sql: string; source: string } {
  const table = size === "MINUTE" ? undefined : dwsTableFor({ period: size, range, measure: "UNIQUE_USERS", refined: false }, available);
  if (!table) {
    // The ORDER BY of the ods query would be lost under the join; the handler sorts.
    const sql = countEventsSql(range, size, names).replace(/\nORDER BY bucket_start, event_name$/, "");
    return { sql: withFreshness(sql, [odsSource(range.start)]), source: "ods_events" };
  }
  countEventsSql(range, size, names); // the same checks of the names
  const where = [`bucket_start >= ${timestampLiteral(range.start)}`, `bucket_start < ${timestampLiteral(range.end)}`];
  if (names.length > 0) where.push(`event_name IN (${names.map(stringLiteral).join(", ")})`);
  const sql = `SELECT bucket_start, event_name, event_count, unique_users FROM ${table} WHERE ${where.join(" AND ")}`;
  return { sql: withFreshness(sql, [dwsSource(table)]), source: table };
}

/** CountUniqueUsers' SQL with its freshness (ods_events: the total over the range needs the users themselves). */
export function countUniqueUsersAnswerSql(range: Range, size: BucketSize, names: readonly string[]): string {
  return withFreshness(countUniqueUsersSql(range, size, names), [odsSource(range.start)]);
}
