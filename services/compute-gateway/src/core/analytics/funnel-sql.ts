import { dwdViewName } from "@trackway/warehouse";
import { Refusal } from "../refusal.js";
import { stringLiteral, timestampLiteral } from "../sql-literal.js";
import { rangeFilter, type Range } from "./buckets.js";
import { breakdownText, fieldSql, isProperty, type FieldSpec } from "./fields.js";
import { odsSource, withFreshness } from "./freshness.js";

/** A funnel question. */
export interface FunnelSpec {
  range: Range;
  steps: string[];
  windowMs: number;
  /**
   * Each value is its own funnel. A header column must match on every step; a typed property is read from the
   * first step's event (its dwd view) and the later steps are any of the user's events ("first touch").
   */
  breakdown?: FieldSpec;
  /** List users who did step k-1 but not step k (2..steps); 0 for none. */
  droppedAtStep: number;
  actorsLimit: number;
}

/** Lower bounds (seconds) of the time-to-convert buckets; the last bucket is open. */
export const TTC_BOUNDS = [0, 10, 60, 300, 900, 3600, 21_600, 86_400] as const;
/** Longest funnel conversion window. */
export const MAX_WINDOW_MS = 90 * 86_400_000;
/** Most users one actors list returns. */
export const MAX_ACTORS = 10_000;

/** Checks a funnel question; returns the window in whole seconds. */
export function checkFunnelSpec(f: FunnelSpec): number {
  if (f.steps.length < 2 || f.steps.length > 5) throw new Refusal("ARGUMENT_INVALID", `a funnel has 2 to 5 steps, got ${f.steps.length}`);
  if (f.steps.some((s) => s.trim() === "")) throw new Refusal("ARGUMENT_INVALID", "steps must not be empty strings");
  if (!(f.windowMs >= 1000) || f.windowMs > MAX_WINDOW_MS || f.windowMs % 1000 !== 0) {
    throw new Refusal("ARGUMENT_INVALID", "window must be a whole number of seconds from 1 s to 90 days");
  }
  if (f.droppedAtStep !== 0 && (f.droppedAtStep < 2 || f.droppedAtStep > f.steps.length)) {
    throw new Refusal("ARGUMENT_INVALID", `dropped_at_step must be 2 to ${f.steps.length}, or 0`);
  }
  if (f.actorsLimit < 1 || f.actorsLimit > MAX_ACTORS) throw new Refusal("ARGUMENT_INVALID", `actors_limit must be 1 to ${MAX_ACTORS}`);
  return f.windowMs / 1000;
}

const ttcBucket = (dt: string) =>
  `CASE ${TTC_BOUNDS.slice(1).map((b, i) => `WHEN ${dt} < ${b} THEN ${i}`).join(" ")} ELSE ${TTC_BOUNDS.length - 1} END`;

/**
 * An ordered funnel in joins and MIN aggregates (BATCH-friendly; MATCH_RECOGNIZE is streaming-only in Flink
 * 1.17). Per user (and breakdown value): t1 = the first step-1 event in the range; step k+1 = the first event of
 * that name strictly after step k, at most `window` after t1. Rows, each with the freshness last:
 * kind 'n' (bv, step, users, mean seconds from the previous step), kind 't' (step, time bucket, users),
 * kind 'd' (a dropped user). Columns: kind, bv, step, bucket, users, mean_s, user_key, complete_up_to.
 */
export function funnelAnalyticsSql(f: FunnelSpec, available?: ReadonlySet<string>): string {
  const windowS = checkFunnelSpec(f);
  const scan: Range = { start: f.range.start, end: new Date(f.range.end.getTime() + f.windowMs) };
  const byProperty = f.breakdown !== undefined && isProperty(f.breakdown);
  const bv = f.breakdown && !byProperty ? breakdownText(fieldSql(f.breakdown, false)) : "''";
  const names = [...new Set(f.steps)].map(stringLiteral).join(", ");
  const first = stringLiteral(f.steps[0]!);
  const ctes = [`e AS (SELECT user_key, ${bv} AS bv, event_name, event_time FROM ods_events WHERE ${rangeFilter(scan)} AND user_key IS NOT NULL AND event_name IN (${names}))`];
  if (byProperty) {
    const view = dwdViewName(f.steps[0]!);
    if (available && !available.has(view)) throw new Refusal("ARGUMENT_INVALID", `"${f.steps[0]}" has no registered schema, so no typed property to break down by`);
    ctes.push(
      `s1 AS (SELECT user_key, ${breakdownText(fieldSql(f.breakdown!, true))} AS bv, MIN(event_time) AS t1, MIN(event_time) AS tk, CAST(0 AS BIGINT) AS dt FROM ${view} ` +
        `WHERE ${rangeFilter(f.range)} AND user_key IS NOT NULL AND event_name = ${first} GROUP BY user_key, ${breakdownText(fieldSql(f.breakdown!, true))})`,
    );
  } else {
    ctes.push(`s1 AS (SELECT user_key, bv, MIN(event_time) AS t1, MIN(event_time) AS tk, CAST(0 AS BIGINT) AS dt FROM e WHERE event_name = ${first} AND event_time < ${timestampLiteral(f.range.end)} GROUP BY user_key, bv)`);
  }
  // By a property, later steps are any of the user's events: only the first step carries the value.
  const sameBv = byProperty ? "" : " AND e.bv = p.bv";
  for (let k = 2; k <= f.steps.length; k++) {
    ctes.push(
      `s${k} AS (SELECT user_key, bv, t1, tk, CAST(TIMESTAMPDIFF(SECOND, tp, tk) AS BIGINT) AS dt FROM (` +
        `SELECT p.user_key, p.bv, p.t1, p.tk AS tp, MIN(e.event_time) AS tk FROM s${k - 1} AS p JOIN e ON e.user_key = p.user_key${sameBv} ` +
        `WHERE e.event_name = ${stringLiteral(f.steps[k - 1]!)} AND e.event_time > p.tk AND e.event_time <= TIMESTAMPADD(SECOND, ${windowS}, p.t1) ` +
        `GROUP BY p.user_key, p.bv, p.t1, p.tk))`,
    );
  }
  const parts: string[] = [];
  f.steps.forEach((_s, i) => {
    const s = `s${i + 1}`;
    parts.push(`SELECT 'n' AS kind, bv, ${i + 1} AS step, -1 AS bucket, COUNT(*) AS users, AVG(CAST(dt AS DOUBLE)) AS mean_s, CAST(NULL AS STRING) AS user_key FROM ${s} GROUP BY bv`);
    if (i > 0) parts.push(`SELECT 't', '', ${i + 1}, b, COUNT(*), CAST(NULL AS DOUBLE), CAST(NULL AS STRING) FROM (SELECT ${ttcBucket("dt")} AS b FROM ${s}) GROUP BY b`);
  });
  if (f.droppedAtStep > 0) {
    const k = f.droppedAtStep;
    const dropped = `SELECT DISTINCT p.user_key FROM s${k - 1} AS p LEFT JOIN s${k} AS c ON c.user_key = p.user_key AND c.bv = p.bv WHERE c.user_key IS NULL`;
    parts.push(`SELECT 'd', '', ${k}, -1, CAST(0 AS BIGINT), CAST(NULL AS DOUBLE), user_key FROM (SELECT user_key FROM (${dropped}) ORDER BY user_key LIMIT ${f.actorsLimit})`);
  }
  return withFreshness(`WITH ${ctes.join(",\n")}\n${parts.join("\nUNION ALL\n")}`, [odsSource(f.range.start)]);
}
