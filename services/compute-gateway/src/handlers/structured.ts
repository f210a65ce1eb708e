import type { ServerUnaryCall } from "@grpc/grpc-js";
import {
  Granularity,
  type CountEventsRequest,
  type CountEventsResponse,
  type CountUniqueUsersRequest,
  type CountUniqueUsersResponse,
  type FunnelRequest,
  type FunnelResponse,
} from "@trackway/proto/compute/v1";
import { JsonNumber, type LosslessValue } from "@trackway/flink";
import type { ComputeMetrics } from "../metrics.js";
import { parseTimestamp } from "../core/result-values.js";
import { checkRange, countEventsSql, countUniqueUsersSql, funnelSql, funnelSteps, MAX_BUCKETS, type BucketSize } from "../core/structured-sql.js";
import type { Authenticate } from "./auth.js";
import { toTrackwayError } from "./errors-map.js";
import { durationMs } from "./query.js";
import { callSignal, collect, type QueryDeps } from "./query-runner.js";

type Deps = QueryDeps & { auth: Authenticate; timeoutMs: number; metrics: ComputeMetrics };
type Call = ServerUnaryCall<unknown, unknown>;

const SIZE: Record<number, BucketSize> = { [Granularity.GRANULARITY_MINUTE]: "MINUTE", [Granularity.GRANULARITY_HOUR]: "HOUR", [Granularity.GRANULARITY_DAY]: "DAY" };
const bucketSize = (g: Granularity): BucketSize => SIZE[g] ?? "HOUR";
const num = (v: LosslessValue | undefined): number => (v instanceof JsonNumber ? v.toNumber() : Number(v ?? 0));
const time = (v: LosslessValue | undefined): Date | undefined => (typeof v === "string" ? parseTimestamp(v) : undefined);

/** Runs compiled SQL in the tenant's session (its views: only its rows) and returns every row. */
async function rowsOf(deps: Deps, call: Call, kind: string, sql: () => string): Promise<LosslessValue[][]> {
  const tenant = await deps.auth(call);
  const started = Date.now();
  try {
    const compiled = sql();
    // More buckets than MAX_BUCKETS × names cannot happen for a checked range; the cap only bounds memory.
    const r = await collect(deps, tenant, () => compiled, { maxRows: MAX_BUCKETS * 100, timeoutMs: deps.timeoutMs, signal: callSignal(call) });
    deps.metrics.record(kind, "ok", started, r.rows.length);
    return r.rows;
  } catch (e) {
    const mapped = toTrackwayError(e);
    deps.metrics.record(kind, (mapped as { reason?: string }).reason ?? "INTERNAL", started, 0);
    throw mapped;
  }
}

/** CountEvents: distinct events and users per bucket and event name, ordered by bucket then name. */
export const countEvents = (deps: Deps) => async (req: CountEventsRequest, call: Call): Promise<CountEventsResponse> => {
  const rows = await rowsOf(deps, call, "count_events", () => {
    const size = bucketSize(req.granularity);
    return countEventsSql(checkRange(req.range, size), size, req.eventNames);
  });
  return { counts: rows.map((r) => ({ bucketStart: time(r[0]), eventName: String(r[1]), count: num(r[2]), uniqueUsers: num(r[3]) })) };
};

/** CountUniqueUsers: distinct users per bucket, and over the whole range. */
export const countUniqueUsers = (deps: Deps) => async (req: CountUniqueUsersRequest, call: Call): Promise<CountUniqueUsersResponse> => {
  const rows = await rowsOf(deps, call, "count_unique_users", () => {
    const size = bucketSize(req.granularity);
    return countUniqueUsersSql(checkRange(req.range, size), size, req.eventNames);
  });
  // The GROUPING SETS row without a bucket is the total.
  const total = rows.find((r) => r[0] === null);
  const counts = rows
    .filter((r) => r[0] !== null)
    .map((r) => ({ bucketStart: time(r[0]), users: num(r[1]) }))
    .sort((a, b) => (a.bucketStart?.getTime() ?? 0) - (b.bucketStart?.getTime() ?? 0));
  return { counts, total: total ? num(total[1]) : 0 };
};

/** Funnel: users reaching each of 2 to 5 ordered steps within the window, and conversion from the first. */
export const funnel = (deps: Deps) => async (req: FunnelRequest, call: Call): Promise<FunnelResponse> => {
  const rows = await rowsOf(deps, call, "funnel", () => funnelSql(checkRange(req.range, "DAY"), req.steps, durationMs(req.window)));
  const counts = new Map(rows.map((r) => [num(r[0]), num(r[1])]));
  return { steps: funnelSteps(req.steps, counts) };
};
