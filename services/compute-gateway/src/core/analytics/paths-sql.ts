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
 * Per user, the first start event in the range, then step by step the event right after (or before) the previous
 * step: the earliest event strictly later (the latest strictly earlier), the smallest (largest) name among
 * simultaneous ones. Written as MIN/MAX-aggregate joins, one pair per step, like the funnel (no ROW_NUMBER: it
 * spills the user's whole history through a sort, the joins only keep one row per user and step). Counts each step's
 * transitions; the row with step 0 holds the number of users who started. Columns: step, from_event, to_event,
 * users, complete_up_to.
 */
export function pathsSql(p: PathsSpec): string {
  if (p.startEvent.trim() === "") throw new Refusal("ARGUMENT_INVALID", "start_event is required");
  if (!(Number.isInteger(p.depth) && p.depth >= 1 && p.depth <= MAX_PATH_DEPTH)) throw new Refusal("ARGUMENT_INVALID", `depth must be 1 to ${MAX_PATH_DEPTH}`);
  const next = p.direction === "NEXT";
  const pick = next ? "MIN" : "MAX";
  const ctes = [
    `e AS (SELECT user_key, event_name, event_time FROM ods_events WHERE ${rangeFilter(p.range)} AND user_key IS NOT NULL)`,
    // The start event is picked inside the aggregate, not by a WHERE on e: Flink pushed such a filter into the one Hudi
    // scan that every use of e shares, so later steps saw only start events (Flink 1.17 + Hudi 0.14).
    `n0 AS (SELECT user_key, t, ${stringLiteral(p.startEvent)} AS name FROM (SELECT user_key, MIN(CASE WHEN event_name = ${stringLiteral(p.startEvent)} THEN event_time END) AS t FROM e GROUP BY user_key) WHERE t IS NOT NULL)`,
  ];
  const edges: string[] = [];
  for (let k = 1; k <= p.depth; k++) {
    ctes.push(
      `t${k} AS (SELECT q.user_key, q.name AS from_name, ${pick}(e.event_time) AS t FROM n${k - 1} AS q JOIN e ON e.user_key = q.user_key WHERE e.event_time ${next ? ">" : "<"} q.t GROUP BY q.user_key, q.name)`,
      `n${k} AS (SELECT q.user_key, q.t, q.from_name, ${pick}(e.event_name) AS name FROM t${k} AS q JOIN e ON e.user_key = q.user_key AND e.event_time = q.t GROUP BY q.user_key, q.t, q.from_name)`,
    );
    edges.push(`SELECT ${k} AS step, CAST(from_name AS STRING) AS from_event, name AS to_event, COUNT(*) AS users FROM n${k} GROUP BY from_name, name`);
  }
  edges.push("SELECT 0, '', '', COUNT(*) FROM n0");
  return withFreshness(`WITH ${ctes.join(",\n")}\n${edges.join("\nUNION ALL\n")}`, [odsSource(p.range.start)]);
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
