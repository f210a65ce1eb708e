import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { authenticator, ApiKeyStore, CachedApiKeys, followKeyChanges, type Authenticate, type Principal } from "@trackway/auth";
import { createPool } from "@trackway/db";
import { kafkaSecurityOf } from "@trackway/kafka";
import { BAD_REQUEST_TARGET, requestUrl, type Logger } from "@trackway/runtime";
import { analyticsRoutes } from "./api/analytics.js";
import { catalogRoutes } from "./api/catalog.js";
import { failureRoutes } from "./api/failures.js";
import { insightsRoutes } from "./api/insights.js";
import { jobRoutes } from "./api/jobs.js";
import { streamLiveTail } from "./api/live-tail.js";
import { replayRoutes } from "./api/replay.js";
import { createServiceClients, keyMetadata, type ServiceClients } from "./clients.js";
import type { ConsoleConfig } from "./config.js";
import { clearedSessionCookie, parseCookies, SESSION_COOKIE, sessionCookie } from "./core/cookie.js";
import { appNotBuilt, badRequest, notSignedIn, routeNotFound } from "./errors.js";
import { errorAnswer, readJson, sendJson } from "./http/respond.js";
import { matchRoute, type Route } from "./http/router.js";
import { SECURITY_HEADERS, serveStatic } from "./http/static-files.js";
import { startRejectedTail, type RejectedTail } from "./store/rejected-tail.js";

/** A running console. */
export interface RunningConsole {
  url: string;
  stop(): Promise<void>;
}

const principalView = (p: Principal) => ({ tenant: p.tenant, keyId: p.keyId, scopes: [...p.scopes].sort() });

/** Starts the console's HTTP server: the built app, and the API that calls the services with the visitor's key. */
export async function startConsole(config: ConsoleConfig, distDir: string, logger: Logger): Promise<RunningConsole> {
  const pool = createPool(config.DATABASE_URL, { max: 4, applicationName: "trackway-console", onIdleError: (e) => logger.warn("idle database connection failed", { err: e.message }) });
  // A revocation bites at once (the key-change notification); the 30 s TTL covers a lost LISTEN connection.
  const keys = new CachedApiKeys(new ApiKeyStore(pool), { ttlMs: 30_000, maxEntries: 10_000 });
  const keyChanges = followKeyChanges(config.DATABASE_URL, keys, logger);
  const auth: Authenticate = authenticator(keys, logger);
  const clients: ServiceClients = createServiceClients({ registry: config.TRACKWAY_REGISTRY_ADDRESS, compute: config.TRACKWAY_COMPUTE_ADDRESS, timeoutMs: config.TRACKWAY_CONSOLE_CALL_TIMEOUT });
  let tail: RejectedTail | undefined;
  // The tail starts in the background: the console serves every other page while Kafka is slow or down.
  const tailStarted = startRejectedTail({ brokers: config.TRACKWAY_KAFKA_BROKERS, security: kafkaSecurityOf(config), topic: config.TRACKWAY_REJECTED_TOPIC, perTenant: 5000 }, logger)
    .then((t) => (tail = t))
    .catch((e: unknown) => logger.warn("rejected-events tail did not start", { err: e instanceof Error ? e.message : String(e) }));
  const routes: Route[] = [...catalogRoutes, ...insightsRoutes, ...analyticsRoutes, ...jobRoutes, ...failureRoutes(() => tail), ...replayRoutes((t, id) => tail?.replayable(t, id), config.TRACKWAY_INGEST_ADDRESS)];
  const secure = config.TRACKWAY_CONSOLE_SECURE_COOKIE;
  const maxAgeSeconds = Math.floor(config.TRACKWAY_CONSOLE_SESSION_TTL / 1000);
  const principalOf = (apiKey: string) => auth({ metadata: keyMetadata(apiKey) });

  async function session(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === "POST") {
      const b = (await readJson(req, 4096)) as { apiKey?: unknown };
      if (typeof b.apiKey !== "string" || b.apiKey.trim() === "") throw badRequest("apiKey is required");
      const key = b.apiKey.trim();
      const p = await principalOf(key);
      res.setHeader("set-cookie", sessionCookie(key, { maxAgeSeconds, secure }));
      return sendJson(res, 200, principalView(p));
    }
    if (req.method === "DELETE") {
      res.setHeader("set-cookie", clearedSessionCookie(secure));
      return sendJson(res, 200, {});
    }
    const key = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (!key) throw notSignedIn();
    return sendJson(res, 200, principalView(await principalOf(key)));
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname === "/api/session") return session(req, res);
    if (url.pathname === "/api/live/tail" && req.method === "GET") {
      const key = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
      if (!key) throw notSignedIn();
      await principalOf(key);
      return streamLiveTail(config.TRACKWAY_INGEST_ADDRESS, key, req, res, url.searchParams);
    }
    const m = matchRoute(routes, req.method ?? "GET", url.pathname);
    if (!m) throw routeNotFound(url.pathname);
    // Cross-site form posts cannot carry a JSON content type without a preflight; SameSite=Strict covers the rest.
    if (req.method !== "GET" && !(req.headers["content-type"] ?? "").startsWith("application/json")) throw badRequest("send JSON (content-type: application/json)");
    const apiKey = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (!apiKey) throw notSignedIn();
    const principal = await principalOf(apiKey);
    const result = await m.route.handler({ req, url, params: m.params, apiKey, principal, clients, body: () => readJson(req) });
    sendJson(res, 200, result);
  }

  const server: Server = createServer((req, res) => {
    const url = requestUrl(req, "http://console.local");
    if (!url) return sendJson(res, 400, BAD_REQUEST_TARGET);
    if (url.pathname === "/healthz") return sendJson(res, 200, { status: "SERVING" });
    if (url.pathname.startsWith("/api/")) {
      const started = Date.now();
      api(req, res, url)
        .catch((e: unknown) => {
          const a = errorAnswer(e);
          if (a.internal) logger.error("api request failed", { path: url.pathname, err: e instanceof Error ? e.stack : String(e) });
          if (!res.headersSent) sendJson(res, a.code, a.body);
          else res.end();
        })
        .finally(() => logger.debug("api request", { method: req.method, path: url.pathname, status: res.statusCode, ms: Date.now() - started }));
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") return sendJson(res, 405, { reason: "METHOD_NOT_ALLOWED", message: "pages are read with GET" });
    if (!serveStatic(distDir, url.pathname, res)) {
      const e = appNotBuilt(distDir);
      res.writeHead(503, { ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8" });
      res.end(`${e.message}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.TRACKWAY_CONSOLE_PORT, config.TRACKWAY_CONSOLE_HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.TRACKWAY_CONSOLE_HOST}:${port}`;
  logger.info("console listening", { url });
  return {
    url,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await tailStarted;
      await tail?.stop();
      clients.close();
      await keyChanges.close();
      await pool.end();
    },
  };
}
