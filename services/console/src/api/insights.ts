import { FunnelRequest, type FunnelResponse } from "@trackway/proto/compute/v1";
import { callUnary } from "../clients.js";
import { badRequest } from "../errors.js";
import type { Route, RouteContext } from "../http/router.js";
import { runQuery } from "./query-stream.js";
import type { FunnelAnswer, WarehouseFreshness } from "./wire.js";

const HOUR = 3_600_000;
/** Most rows the SQL editor returns to the page. */
const MAX_EDITOR_ROWS = 1000;

const sqlTime = (d: Date) => `TIMESTAMP '${d.toISOString().slice(0, 19).replace("T", " ")}'`;

/** The hours of a request (`?hours=`), 1 to 24·90. */
function hoursOf(value: unknown, fallback: number): number {
  const n = value === undefined || value === null || value === "" ? fallback : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 24 * 90) throw badRequest("hours must be a whole number from 1 to 2160");
  return n;
}

/** Events per hour and name over the last `hours`, as the page charts them; the page shows this exact SQL. */
export function countsSql(start: Date, end: Date): string {
  return [
    "SELECT DATE_FORMAT(event_time, 'yyyy-MM-dd HH:00') AS hour_start, event_name, COUNT(*) AS events, COUNT(DISTINCT user_key) AS users",
    "FROM ods_events",
    `WHERE event_time >= ${sqlTime(start)} AND event_time < ${sqlTime(end)}`,
    "GROUP BY DATE_FORMAT(event_time, 'yyyy-MM-dd HH:00'), event_name",
    "ORDER BY hour_start, event_name",
  ].join("\n");
}

/** How fresh the warehouse is for the tenant: the newest receive time and the row count. */
export const FRESHNESS_SQL = "SELECT MAX(received_at) AS complete_up_to, COUNT(*) AS events FROM ods_events";

const endOfHour = () => new Date(Math.ceil(Date.now() / HOUR) * HOUR);

async function freshness(ctx: RouteContext): Promise<WarehouseFreshness> {
  const r = await runQuery(ctx.clients, ctx.apiKey, FRESHNESS_SQL, 1);
  const row = r.rows[0] ?? [];
  return { sql: FRESHNESS_SQL, completeUpTo: row[0] ? String(row[0].v) : null, events: (row[1]?.v as number | string | undefined) ?? 0 };
}

/** The Insights page's routes: event counts, a funnel, freshness and the SQL editor. */
export const insightsRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/insights/counts",
    handler: async (ctx) => {
      const hours = hoursOf(ctx.url.searchParams.get("hours"), 24);
      const end = endOfHour();
      const start = new Date(end.getTime() - hours * HOUR);
      // One after the other: the gateway opens a tenant's session on its first query, and two first queries at once
      // have been seen to race (TABLE_NOT_ALLOWED with an empty table list).
      const result = await runQuery(ctx.clients, ctx.apiKey, countsSql(start, end), 10_000);
      const fresh = await freshness(ctx);
      return { start: start.toISOString(), end: end.toISOString(), result, freshness: fresh };
    },
  },
  {
    method: "POST",
    path: "/api/insights/funnel",
    handler: async (ctx): Promise<FunnelAnswer> => {
      const b = (await ctx.body()) as { steps?: unknown; hours?: unknown; windowMinutes?: unknown };
      const steps = Array.isArray(b.steps) ? b.steps.filter((s): s is string => typeof s === "string" && s.trim() !== "") : [];
      if (steps.length < 2 || steps.length > 5) throw badRequest("a funnel has 2 to 5 steps");
      const hours = hoursOf(b.hours, 24);
      const windowMinutes = Number(b.windowMinutes ?? 60);
      if (!Number.isInteger(windowMinutes) || windowMinutes < 1 || windowMinutes > 90 * 1440) throw badRequest("windowMinutes must be a whole number from 1 to 129600");
      const end = endOfHour();
      const start = new Date(end.getTime() - hours * HOUR);
      const request = { range: { start, end }, steps, window: { seconds: windowMinutes * 60, nanos: 0 } };
      const r = await callUnary<FunnelRequest, FunnelResponse>(ctx.clients.compute, "funnel", FunnelRequest, request, ctx.apiKey, ctx.clients.timeoutMs);
      const fresh = await freshness(ctx);
      return {
        request: { start: start.toISOString(), end: end.toISOString(), steps, windowMinutes },
        steps: r.steps.map((s) => ({ eventName: s.eventName, users: s.users, conversion: s.conversion })),
        freshness: fresh,
        sql: r.sql,
      };
    },
  },
  {
    method: "POST",
    path: "/api/query",
    handler: async (ctx) => {
      const b = (await ctx.body()) as { sql?: unknown; maxRows?: unknown };
      if (typeof b.sql !== "string" || b.sql.trim() === "") throw badRequest("sql is required");
      const maxRows = Math.min(Number(b.maxRows ?? 200) || 200, MAX_EDITOR_ROWS);
      return runQuery(ctx.clients, ctx.apiKey, b.sql, maxRows);
    },
  },
];
