import type {
  PathsRequest,
  PathsResponse,
  RetentionRequest,
  RetentionResponse,
  StickinessRequest,
  StickinessResponse,
  TrendsRequest,
  TrendsResponse,
} from "@trackway/proto/compute/v1";
import { Refusal } from "../core/refusal.js";
import { checkPeriodRange } from "../core/analytics/buckets.js";
import { pathsSql, topEdges } from "../core/analytics/paths-sql.js";
import { retentionSql } from "../core/analytics/retention-sql.js";
import { stickinessSql } from "../core/analytics/stickiness-sql.js";
import { trendsSql } from "../core/analytics/trends-sql.js";
import { directionOf, freshnessOf, num, periodOf, time, trendsSpecOf } from "./analytics-requests.js";
import { answerRows, type Call, type Deps } from "./structured.js";

/** Trends: every series per bucket (and breakdown value), from DWS tables where they hold the answer. */
export const trends = (deps: Deps) => async (req: TrendsRequest, call: Call): Promise<TrendsResponse> => {
  let sources: string[] = [];
  const { rows, completeUpTo, sql } = await answerRows(deps, call, "trends", (available) => {
    const t = trendsSql(trendsSpecOf(req), available);
    sources = t.sources;
    return t.sql;
  });
  const points = rows
    .map((r) => ({ series: num(r[0]), bucketStart: time(r[1]), breakdownValue: String(r[2] ?? ""), value: num(r[3]) }))
    .sort((a, b) => a.series - b.series || a.breakdownValue.localeCompare(b.breakdownValue) || (a.bucketStart?.getTime() ?? 0) - (b.bucketStart?.getTime() ?? 0));
  return { points, freshness: freshnessOf(completeUpTo, sources), sql };
};

/** Retention: cohorts by first cohort event per day or week, and their returns over N periods. */
export const retention = (deps: Deps) => async (req: RetentionRequest, call: Call): Promise<RetentionResponse> => {
  const { rows, completeUpTo, sql } = await answerRows(deps, call, "retention", () => {
    const period = periodOf(req.period, "DAY");
    if (period !== "DAY" && period !== "WEEK") throw new Refusal("ARGUMENT_INVALID", "retention periods are DAY or WEEK");
    return retentionSql({ range: checkPeriodRange(req.range, period), cohortEvent: req.cohortEvent, returnEvent: req.returnEvent, period, periods: req.periods, firstEver: req.cohortFirstEver });
  });
  const cohorts = new Map<number, { cohortStart: Date; users: number; returned: number[] }>();
  for (const r of rows) {
    const start = time(r[0])!;
    const c = cohorts.get(start.getTime()) ?? { cohortStart: start, users: 0, returned: Array<number>(req.periods).fill(0) };
    const k = num(r[1]);
    if (k === 0) c.users = num(r[2]);
    else if (k <= req.periods) c.returned[k - 1] = num(r[2]);
    cohorts.set(start.getTime(), c);
  }
  return { cohorts: [...cohorts.values()].sort((a, b) => a.cohortStart.getTime() - b.cohortStart.getTime()), freshness: freshnessOf(completeUpTo, ["ods_events"]), sql };
};

/** Paths: the most frequent transitions step by step after (or before) the start event. */
export const paths = (deps: Deps) => async (req: PathsRequest, call: Call): Promise<PathsResponse> => {
  const limit = req.limit === 0 ? 10 : req.limit;
  const { rows, completeUpTo } = await answerRows(deps, call, "paths", () => {
    if (limit > 100) throw new Refusal("ARGUMENT_INVALID", "limit must be at most 100");
    return pathsSql({ range: checkPeriodRange(req.range, "DAY"), startEvent: req.startEvent, direction: directionOf(req.direction), depth: req.depth });
  });
  const edges = rows.map((r) => ({ step: num(r[0]), fromEvent: String(r[1]), toEvent: String(r[2]), users: num(r[3]) }));
  return {
    edges: topEdges(edges.filter((e) => e.step > 0), limit),
    users: edges.find((e) => e.step === 0)?.users ?? 0,
    freshness: freshnessOf(completeUpTo, ["ods_events"]),
  };
};

/** Stickiness: users per number of distinct days with the event in the range. */
export const stickiness = (deps: Deps) => async (req: StickinessRequest, call: Call): Promise<StickinessResponse> => {
  const { rows, completeUpTo } = await answerRows(deps, call, "stickiness", () => stickinessSql(checkPeriodRange(req.range, "DAY"), req.eventName));
  const buckets = rows.map((r) => ({ days: num(r[0]), users: num(r[1]) })).sort((a, b) => a.days - b.days);
  return { buckets, freshness: freshnessOf(completeUpTo, ["ods_events"]) };
};
