import type { IncomingMessage } from "node:http";
import type { Principal } from "@trackway/auth";
import type { ServiceClients } from "../clients.js";

/** What a route handler gets: the request, its URL, the signed-in visitor and the service clients. */
export interface RouteContext {
  req: IncomingMessage;
  url: URL;
  params: Record<string, string>;
  /** The visitor's API key, from the session cookie. */
  apiKey: string;
  principal: Principal;
  clients: ServiceClients;
  body: () => Promise<unknown>;
}

/** A route's handler; its result is sent as JSON with status 200. */
export type Handler = (ctx: RouteContext) => Promise<unknown>;

/** One API route: method and path pattern with `:name` segments. */
export interface Route {
  method: "GET" | "POST" | "DELETE";
  path: string;
  handler: Handler;
}

/** Finds the route of a method and path, with its decoded `:name` parameters. */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): { route: Route; params: Record<string, string> } | undefined {
  const parts = pathname.split("/").filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split("/").filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((p, i) => {
      if (p.startsWith(":")) {
        try {
          params[p.slice(1)] = decodeURIComponent(parts[i]!);
          return true;
        } catch {
          return false;
        }
      }
      return p === parts[i];
    });
    if (ok) return { route, params };
  }
  return undefined;
}
