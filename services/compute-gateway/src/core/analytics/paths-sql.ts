import { Refusal } from "../refusal.js";
import { stringLiteral } from "../sql-literal.js";
import { rangeFilter, type Range } from "./buckets.js";
import { odsSource, withFreshness } from "./freshness.js";

/** A paths question. */
export interface PathsSpec {
  range: Range;
  startEvent: string;
  direction: "NEXT" | "PREVIOUS";
  depth: number;
}

/** Deepest path. */
export const MAX_PATH_DEPTH = 10;

/**
 * Per user, the first start event in the range, then the `depth` events right after it (or before it), ordered by
 * time then name; counts each step's transitions. The row with step 0 holds the number of users who started.
 * Columns: step, from_event, to_event, users, complete_up_to.
 */
export function pathsSql(p: PathsSpec): string {
  if (p.startEvent.trim() === "") throw new Refusal("ARGUMENT_INVALID", "start_event is required");
  if (!(Number.isInteger(p.depth) && p.depth >= 1 && p.depth <= MAX_PATH_DEPTH)) throw new Refusal("ARGUMENT_INVALID", `depth must be 1 to ${MAX_PATH_DEPTH}`);
  const next = p.direction === "NEXT";
  const start = stringLiteral(p.startEvent);
  const sql = [
    `WITH e AS (SELECT user_key, event_name, event_time FROM ods_events WHERE ${rangeFilter(p.range)} AND user_key IS NOT NULL),`,
    `s AS (SELECT user_key, MIN(event_time) AS t0 FROM e WHERE event_name = ${start} GROUP BY user_key),`,
    `n AS (SELECT user_key, event_name, rn FROM (SELECT e.user_key, e.event_name, ROW_NUMBER() OVER (PARTITION BY e.user_key ORDER BY e.event_time${next ? "" : " DESC"}, e.event_name${next ? "" : " DESC"}) AS rn`,
    `  FROM e JOIN s ON e.user_key = s.user_key WHERE e.event_time ${next ? ">" : "<"} s.t0) WHERE rn <= ${p.depth}),`,
    `st AS (SELECT user_key, ${start} AS event_name, CAST(0 AS BIGINT) AS rn FROM s UNION ALL SELECT user_key, event_name, CAST(rn AS BIGINT) FROM n)`,
    "SELECT CAST(c.rn AS INT) AS step, p.event_name AS from_event, c.event_name AS to_event, COUNT(*) AS users FROM st AS c JOIN st AS p ON p.user_key = c.user_key AND p.rn = c.rn - 1",
    "GROUP BY c.rn, p.event_name, c.event_name",
    "UNION ALL",
    "SELECT 0, '', '', COUNT(*) FROM s",
  ].join("\n");
  return withFreshness(sql, [odsSource(p.range.start)]);
}

/** Keeps the `limit` most frequent transitions of each step, ordered by step then users (most first), then names. */
export function topEdges<E extends { step: number; users: number; fromEvent: string; toEvent: string }>(edges: readonly E[], limit: number): E[] {
  const sorted = [...edges].sort((a, b) => a.step - b.step || b.users - a.users || a.fromEvent.localeCompare(b.fromEvent) || a.toEvent.localeCompare(b.toEvent));
  const seen = new Map<number, number>();
  return sorted.filter((e) => {
    const n = (seen.get(e.step) ?? 0) + 1;
    seen.set(e.step, n);
    return n <= limit;
  });
}
