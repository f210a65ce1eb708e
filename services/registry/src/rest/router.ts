import type { IncomingMessage } from "node:http";
import { methodNotAllowed, routeNotFound } from "./rest-error.js";

/** What a route handler gets. */
export interface RestRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  /** Reads the body as JSON (with the size limit). */
  json(): Promise<Record<string, unknown>>;
  /** Who is making the change: the authenticated key (`tenant/key-id`), or `anonymous` for an allowed anonymous read. */
  actor: string;
  raw: IncomingMessage;
}

/** What a route handler returns: a JSON value, or raw text. */
export type RestResult = { json: unknown; status?: number } | { text: string; status?: number };

/** A route handler. */
export type RestHandler = (req: RestRequest) => Promise<RestResult>;

interface Route {
  method: string;
  segments: string[];
  handler: RestHandler;
}

/** A minimal router: `/subjects/:subject/versions/:version` patterns, one handler per method and pattern. */
export class Router {
  private readonly routes: Route[] = [];

  /** Adds a route. */
  on(method: string, pattern: string, handler: RestHandler): this {
    this.routes.push({ method, segments: pattern.split("/").filter(Boolean), handler });
    return this;
  }

  /** The handler and path parameters for a request; 404 or 405 as RestError when none. */
  match(method: string, pathname: string): { handler: RestHandler; params: Record<string, string> } {
    const parts = pathname.split("/").filter(Boolean);
    let pathMatched = false;
    for (const r of this.routes) {
      const params = matchSegments(r.segments, parts);
      if (!params) continue;
      pathMatched = true;
      if (r.method === method) return { handler: r.handler, params };
    }
    throw pathMatched ? methodNotAllowed() : routeNotFound();
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    let value: string;
    try {
      value = decodeURIComponent(parts[i]!);
    } catch {
      return undefined;
    }
    if (p.startsWith(":")) params[p.slice(1)] = value;
    else if (p !== value) return undefined;
  }
  return params;
}
