// The funnel SQL before the one-sort rewrite (a MIN-aggregate join per step), kept so that bench/query measures both
// on the same table in the same run. Not used by the gateway. Header breakdowns and dropped users omitted.
import { stringLiteral, timestampLiteral } from "../../services/compute-gateway/src/core/sql-literal.js";
import { rangeFilter, type Range } from "../../services/compute-gateway/src/core/analytics/buckets.js";
import { odsSource, withFreshness } from "../../services/compute-gateway/src/core/analytics/freshness.js";
import { TTC_BOUNDS } from "../../services/compute-gateway/src/core/analytics/funnel-sql.js";

const ttcBucket = (dt: string) =>
  `CASE ${TTC_BOUNDS.slice(1).map((b, i) => `WHEN ${dt} < ${b} THEN ${i}`).join(" ")} ELSE ${TTC_BOUNDS.length - 1} END`;

/** The previous funnel statement, for a funnel without breakdown. */
export function previousFunnelSql(range: Range, steps: string[], windowMs: number): string {
  const windowS = windowMs / 1000;
  const scan: Range = { start: range.start, end: new Date(range.end.getTime() + windowMs) };
  const names = [...new Set(steps)].map(stringLiteral).join(", ");
  const ctes = [`e AS (SELECT user_key, '' AS bv, event_name, event_time FROM ods_events WHERE ${rangeFilter(scan)} AND user_key IS NOT NULL AND event_name IN (${names}))`];
  ctes.push(`s1 AS (SELECT user_key, bv, MIN(event_time) AS t1, MIN(event_time) AS tk, CAST(0 AS BIGINT) AS dt FROM e WHERE event_name = ${stringLiteral(steps[0]!)} AND event_time < ${timestampLiteral(range.end)} GROUP BY user_key, bv)`);
  for (let k = 2; k <= steps.length; k++) {
    ctes.push(
      `s${k} AS (SELECT user_key, bv, t1, tk, CAST(TIMESTAMPDIFF(SECOND, tp, tk) AS BIGINT) AS dt FROM (` +
        `SELECT p.user_key, p.bv, p.t1, p.tk AS tp, MIN(e.event_time) AS tk FROM s${k - 1} AS p JOIN e ON e.user_key = p.user_key AND e.bv = p.bv ` +
        `WHERE e.event_name = ${stringLiteral(steps[k - 1]!)} AND e.event_time > p.tk AND e.event_time <= TIMESTAMPADD(SECOND, ${windowS}, p.t1) ` +
        `GROUP BY p.user_key, p.bv, p.t1, p.tk))`,
    );
  }
  const parts: string[] = [];
  steps.forEach((_s, i) => {
    const s = `s${i + 1}`;
    parts.push(`SELECT 'n' AS kind, bv, ${i + 1} AS step, -1 AS bucket, COUNT(*) AS users, AVG(CAST(dt AS DOUBLE)) AS mean_s, CAST(NULL AS STRING) AS user_key FROM ${s} GROUP BY bv`);
    if (i > 0) parts.push(`SELECT 't', '', ${i + 1}, b, COUNT(*), CAST(NULL AS DOUBLE), CAST(NULL AS STRING) FROM (SELECT ${ttcBucket("dt")} AS b FROM ${s}) GROUP BY b`);
  });
  return withFreshness(`WITH ${ctes.join(",\n")}\n${parts.join("\nUNION ALL\n")}`, [odsSource(range.start)]);
}
