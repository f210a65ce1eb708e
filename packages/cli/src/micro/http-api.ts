import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { BAD_REQUEST_TARGET, requestUrl } from "@trackway/runtime";
import type { BadFilter, GoodFilter, MicroStore } from "./micro-store.js";

/**
 * The assertion API over JSON/HTTP, shaped like Snowplow Micro's: `GET /micro/all` (counts), `GET /micro/good`
 * (`?event=&version=&user=&prop.<field>=<value>`), `GET /micro/bad` (`?event=&reason=`), `POST|GET /micro/reset`.
 */
export function handleMicro(store: MicroStore, req: IncomingMessage, res: ServerResponse): void {
  const send = (code: number, body: unknown) => {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const url = requestUrl(req, "http://micro");
  if (!url) return send(400, BAD_REQUEST_TARGET);
  const q = url.searchParams;
  switch (url.pathname) {
    case "/micro/all":
      return send(200, store.counts());
    case "/micro/good": {
      const version = q.get("version");
      if (version !== null && !/^\d+$/.test(version)) return send(400, { reason: "FILTER_INVALID", message: `version must be a whole number, got "${version}"` });
      const properties = Object.fromEntries([...q].filter(([k]) => k.startsWith("prop.")).map(([k, v]) => [k.slice(5), v]));
      const f: GoodFilter = { event: q.get("event") ?? undefined, version: version === null ? undefined : Number(version), user: q.get("user") ?? undefined, properties };
      return send(200, store.goodEvents(f));
    }
    case "/micro/bad": {
      const f: BadFilter = { event: q.get("event") ?? undefined, reason: q.get("reason") ?? undefined };
      return send(200, store.badEvents(f));
    }
    case "/micro/reset":
      if (req.method !== "POST" && req.method !== "GET") return send(405, { reason: "METHOD_NOT_ALLOWED", message: "use POST (or GET) /micro/reset" });
      store.reset();
      return send(200, store.counts());
    default:
      return send(404, { reason: "NOT_FOUND", message: "routes: /micro/all, /micro/good, /micro/bad, /micro/reset" });
  }
}

/** Serves the assertion API on `host:port` (0 picks a free port); resolves with the bound port. */
export async function startMicroHttp(store: MicroStore, host: string, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => handleMicro(store, req, res));
  await new Promise<void>((ok, fail) => server.once("error", fail).listen(port, host, () => ok()));
  return { server, port: (server.address() as { port: number }).port };
}
