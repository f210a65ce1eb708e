import type { ServerUnaryCall } from "@grpc/grpc-js";
import {
  Granularity,
  type CountEventsRequest,
  type CountEventsResponse,
  type CountUniqueUsersRequest,
  type CountUniqueUsersResponse,
  type FunnelRequest,
  type FunnelResponse,
  type FunnelStep,
} from "@trackway/proto/compute/v1";
import type { LosslessValue } from "@trackway/flink";
import type { ComputeMetrics } from "../metrics.js";
import { checkRange, MAX_BUCKETS, type BucketSize } from "../core/structured-sql.js";
import { countEventsAnswerSql, countUniqueUsersAnswerSql } from "../core/analytics/counts-sql.js";
import { funnelAnalyticsSql, MAX_ACTORS, TTC_BOUNDS } from "../core/analytics/funnel-sql.js";
import { splitFreshness } from "../core/analytics/freshness.js";
import type { Authenticate } from "./auth.js";
import { fieldOf, freshnessOf, num, time } from "./analytics-requests.js";
import { toTrackwayError } from "./errors-map.js";
import { durationMs } from "./query.js";
import { callSignal, collect, type QueryDeps } from "./query-runner.js";

/** What structured-query handlers need. */
export type Deps = QueryDeps & { auth: Authenticate; timeoutMs: number; metrics: ComputeMetrics };
/** A unary call. */
export type Call = ServerUnaryCall<unknown, unknown>;

const SIZE: Record<number, BucketSize> = { [Granularity.GRANULARITY_MINUTE]: "MINUTE", [Granularity.GRANULARITY_HOUR]: "HOUR", [Granularity.GRANULARITY_DAY]: "DAY" };
const bucketSize = (g: Granularity): BucketSize => SIZE[g] ?? "HOUR";

/**
 * Runs compiled SQL in the tenant's session (its views: only its rows) and returns every row, split from the
 * freshness cell `withFreshness` adds, with the SQL it ran. `sql` sees the views the session has, to pick a DWS table when one exists.
 */
export async function answerRows(
  deps: Deps,
  call: Call,
  kind: string,
  sql: (available: ReadonlySet<string>) => string,
): Promise<{ rows: LosslessValue[][]; completeUpTo: LosslessValue | undefined; sql: string }> {
  const tenant = await deps.auth(call);
  let ran = "";
  const started = Date.now();
  try {
    // More buckets than MAX_BUCKETS × names cannot happen for a checked range; the cap only bounds memory.
    const r = await collect(deps, tenant, (s) => (ran = sql(new Set(s.tables().map((t) => t.name)))), { maxRows: MAX_BUCKETS * 100, timeoutMs: deps.timeoutMs, signal: callSignal(call) });
    deps.metrics.record(kind, "ok", started, r.rows.length);
    return { ...splitFreshness(r.rows), sql: ran };
  } catch (e) {
    const mapped = toTrackwayError(e);
    deps.metrics.record(kind, (mapped as { reason?: string }).reason ?? "INTERNAL", started, 0);
    throw mapped;
  }
}

const byTime = (a: Date | undefined, b: Date | undefined) => (a?.getTime() ?? 0) - (b?.getTime() ?? 0);

/** CountEvents: events and users per bucket and event name, ordered by bucket then name; from DWS when it can. */
export const countEvents = (deps: Deps) => async (req: CountEventsRequest, call: Call): Promise<CountEventsResponse> => {
  let source = "ods_events";
  const { rows, completeUpTo } = await answerRows(deps, call, "count_events", (available) => {
    const size = bucketSize(req.granularity);
    const a = countEventsAnswerSql(checkRange(req.range, size), size, req.eventNames, available);
    source = a.source;
    return a.sql;
  });
  const counts = rows
    .map((r) => ({ bucketStart: time(r[0]), eventName: String(r[1]), count: num(r[2]), uniqueUsers: num(r[3]) }))
    .sort((a, b) => byTime(a.bucketStart, b.bucketStart) || (a.eventName < b.eventName ? -1 : a.eventName > b.eventName ? 1 : 0));
  return { counts, freshness: freshnessOf(completeUpTo, [source]) };
};

/** CountUniqueUsers: distinct users per bucket, and over the whole range. */
export const countUniqueUsers = (deps: Deps) => async (req: CountUniqueUsersRequest, call: Call): Promise<CountUniqueUsersResponse> => {
  const { rows, completeUpTo } = await answerRows(deps, call, "count_unique_users", () => {
    const size = bucketSize(req.granularity);
    return countUniqueUsersAnswerSql(checkRange(req.range, size), size, req.eventNames);
  });
  // The GROUPING SETS row without a bucket is the total.
  const total = rows.find((r) => r[0] === null);
  const counts = rows
    .filter((r) => r[0] !== null)
    .map((r) => ({ bucketStart: time(r[0]), users: num(r[1]) }))
    .sort((a, b) => byTime(a.bucketStart, b.bucketStart));
  return { counts, total: total ? num(total[1]) : 0, freshness: freshnessOf(completeUpTo, ["ods_events"]) };
};

type StepRow = { bv: string; step: number; users: number; meanS: number };

function stepsOf(steps: readonly string[], rows: readonly StepRow[], ttc: ReadonlyMap<string, number>): FunnelStep[] {
  const at = (k: number) => rows.filter((r) => r.step === k);
  const users = (k: number) => at(k).reduce((n, r) => n + r.users, 0);
  const first = users(1);
  return steps.map((eventName, i) => {
    const n = users(i + 1);
    const weighted = at(i + 1).reduce((s, r) => s + r.meanS * r.users, 0);
    return {
      eventName,
      users: n,
      conversion: first === 0 ? 0 : n / first,
      meanSecondsToConvert: i === 0 || n === 0 ? 0 : weighted / n,
      timeToConvert: i === 0 ? [] : TTC_BOUNDS.map((from, b) => ({ fromSeconds: from, toSeconds: TTC_BOUNDS[b + 1] ?? 0, users: ttc.get(`${i + 1}|${b}`) ?? 0 })),
    };
  });
}

/**
 * Funnel: users reaching each of 2 to 5 ordered steps within the window, conversion from the first, the time
 * each step took, per breakdown value when asked, and the users who dropped at a step.
 */
export const funnel = (deps: Deps) => async (req: FunnelRequest, call: Call): Promise<FunnelResponse> => {
  const { rows, completeUpTo, sql } = await answerRows(deps, call, "funnel", (available) =>
    funnelAnalyticsSql({
      range: checkRange(req.range, "DAY"),
      steps: req.steps,
      windowMs: durationMs(req.window),
      ...(req.breakdown ? { breakdown: fieldOf(req.breakdown, "breakdown") } : {}),
      droppedAtStep: req.droppedAtStep,
      actorsLimit: req.actorsLimit === 0 ? Math.min(100, MAX_ACTORS) : req.actorsLimit,
    }, available),
  );
  const stepRows: StepRow[] = rows.filter((r) => r[0] === "n").map((r) => ({ bv: String(r[1]), step: num(r[2]), users: num(r[4]), meanS: num(r[5]) }));
  const ttc = new Map(rows.filter((r) => r[0] === "t").map((r) => [`${num(r[2])}|${num(r[3])}`, num(r[4])]));
  const values = [...new Set(stepRows.map((r) => r.bv))].sort();
  return {
    steps: stepsOf(req.steps, stepRows, ttc),
    breakdowns: req.breakdown ? values.map((value) => ({ value, steps: stepsOf(req.steps, stepRows.filter((r) => r.bv === value), new Map()) })) : [],
    droppedUsers: rows.filter((r) => r[0] === "d").map((r) => String(r[6])).sort(),
    freshness: freshnessOf(completeUpTo, ["ods_events"]),
    sql,
  };
};
