import {
  Granularity,
  Measure,
  RetentionRequest,
  TrendsRequest,
  type Freshness,
  type RetentionResponse,
  type TrendsResponse,
} from "@trackway/proto/compute/v1";
import { callUnary } from "../clients.js";
import { AnalyticsRequestError, breakdownField, retentionForm, trendsForm } from "../core/analytics-request.js";
import { badRequest } from "../errors.js";
import type { Route, RouteContext } from "../http/router.js";
import type { AnswerFreshness, RetentionAnswer, TrendsAnswer } from "./wire.js";

/** An RPC answer's freshness as the page shows it. */
export const freshnessView = (f: Freshness | undefined): AnswerFreshness => ({ completeUpTo: f?.completeUpTo?.toISOString() ?? null, source: f?.source ?? "" });

async function form<T>(ctx: RouteContext, parse: (b: Record<string, unknown>, now: number) => T): Promise<T> {
  const b = (await ctx.body()) as Record<string, unknown> | null;
  try {
    return parse(b ?? {}, Date.now());
  } catch (e) {
    throw e instanceof AnalyticsRequestError ? badRequest(e.message) : e;
  }
}

/** The Insights page's trends and retention, from the compute gateway's Trends and Retention RPCs. */
export const analyticsRoutes: Route[] = [
  {
    method: "POST",
    path: "/api/insights/trends",
    handler: async (ctx): Promise<TrendsAnswer> => {
      const f = await form(ctx, trendsForm);
      const breakdown = breakdownField(f.breakdown);
      const request = {
        range: { start: f.start, end: f.end },
        granularity: f.granularity === "DAY" ? Granularity.GRANULARITY_DAY : Granularity.GRANULARITY_HOUR,
        series: f.series.map((s) => ({ eventName: s.eventName, measure: s.measure === "UNIQUE_USERS" ? Measure.MEASURE_UNIQUE_USERS : Measure.MEASURE_TOTAL })),
        ...(breakdown ? { breakdown: { kind: "header" in breakdown ? { $case: "header", value: breakdown.header } : { $case: "property", value: breakdown.property } } } : {}),
      };
      const r = await callUnary<TrendsRequest, TrendsResponse>(ctx.clients.compute, "trends", TrendsRequest, request, ctx.apiKey, ctx.clients.timeoutMs);
      return {
        request: { start: f.start.toISOString(), end: f.end.toISOString(), granularity: f.granularity, series: f.series, breakdown: f.breakdown },
        points: r.points.map((p) => ({ series: p.series, bucketStart: p.bucketStart?.toISOString() ?? "", breakdownValue: p.breakdownValue, value: p.value })),
        freshness: freshnessView(r.freshness),
        sql: r.sql,
      };
    },
  },
  {
    method: "POST",
    path: "/api/insights/retention",
    handler: async (ctx): Promise<RetentionAnswer> => {
      const f = await form(ctx, retentionForm);
      const request = {
        range: { start: f.start, end: f.end },
        cohortEvent: f.cohortEvent,
        returnEvent: f.returnEvent,
        period: f.period === "WEEK" ? Granularity.GRANULARITY_WEEK : Granularity.GRANULARITY_DAY,
        periods: f.periods,
      };
      const r = await callUnary<RetentionRequest, RetentionResponse>(ctx.clients.compute, "retention", RetentionRequest, request, ctx.apiKey, ctx.clients.timeoutMs);
      return {
        request: { start: f.start.toISOString(), end: f.end.toISOString(), period: f.period, periods: f.periods, cohortEvent: f.cohortEvent, returnEvent: f.returnEvent },
        cohorts: r.cohorts.map((c) => ({ cohortStart: c.cohortStart?.toISOString() ?? "", users: c.users, returned: c.returned })),
        freshness: freshnessView(r.freshness),
        sql: r.sql,
      };
    },
  },
];
