import type { Route } from "../http/router.js";
import { runQuery } from "./query-stream.js";

/** Most events the Live page lists. */
const LATEST = 50;

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The newest events of the tenant in ods_events, optionally of one name; the page shows this SQL. */
export function latestSql(eventName: string): string {
  return [
    "SELECT received_at, event_name, schema_version, user_key, event_id, session_id, app_name, os_name, page_path, client_ip, attributes, properties, warnings",
    "FROM ods_events",
    ...(eventName ? [`WHERE event_name = ${literal(eventName)}`] : []),
    `ORDER BY received_at DESC LIMIT ${LATEST}`,
  ].join("\n");
}

/** The Live events page's route (until the live-tail RPC lands: the warehouse's newest events). */
export const liveRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/live/latest",
    handler: async (ctx) => ({ result: await runQuery(ctx.clients, ctx.apiKey, latestSql(ctx.url.searchParams.get("event")?.trim() ?? ""), LATEST) }),
  },
];
