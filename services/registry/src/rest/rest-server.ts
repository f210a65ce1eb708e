import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { BAD_REQUEST_TARGET, requestUrl, type Logger, type ServerTls } from "@trackway/runtime";
import { authorizeRest } from "../access/rest-guard.js";
import type { RegistryAccess } from "../access/registry-access.js";
import type { RegistryDeps } from "../operations/deps.js";
import { readJson } from "./body.js";
import { RestError, toRestError } from "./rest-error.js";
import { Router, type RestResult } from "./router.js";
import { compatibilityRoutes } from "./routes-compatibility.js";
import { configRoutes } from "./routes-config.js";
import { schemaRoutes } from "./routes-schemas.js";
import { subjectRoutes } from "./routes-subjects.js";

/** Options of the REST server. */
export interface RestServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Largest request body in bytes; bigger ones get 413. */
  bodyLimit: number;
  deps: RegistryDeps;
  /** Access control in front of every route. */
  access: RegistryAccess;
  /** HTTPS (client certificates required when a client CA is given); HTTP when unset. */
  tls?: ServerTls;
  logger: Logger;
}

/** A running REST server. */
export interface RestServer {
  readonly port: number;
  /** Stops accepting connections and waits for open requests. */
  close(): Promise<void>;
}

const JSON_TYPE = "application/vnd.schemaregistry.v1+json";

/** The Confluent-compatible REST router over the registry's operations. */
export function restRouter(deps: RegistryDeps): Router {
  const router = new Router().on("GET", "/", async () => ({ json: {} }));
  subjectRoutes(router, deps);
  schemaRoutes(router, deps);
  configRoutes(router, deps);
  compatibilityRoutes(router, deps);
  return router;
}

/** Starts the Confluent-compatible REST API (the subset Confluent's serializers and @kafkajs/confluent-schema-registry use). */
export async function startRestServer(opts: RestServerOptions): Promise<RestServer> {
  const router = restRouter(opts.deps);
  const log = opts.logger.child("rest");
  const listener = (req: IncomingMessage, res: ServerResponse) => void handle(router, opts.access, req, res, opts.bodyLimit, log);
  const tls = opts.tls;
  const server = tls
    ? createTlsServer({ cert: tls.cert, key: tls.key, ca: tls.clientCa, requestCert: tls.clientCa !== undefined, rejectUnauthorized: tls.clientCa !== undefined }, listener)
    : createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log.info("rest server listening", { host: opts.host, port, tls: tls ? (tls.clientCa ? "mutual" : "on") : "off" });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

async function handle(router: Router, access: RegistryAccess, req: IncomingMessage, res: ServerResponse, bodyLimit: number, log: Logger): Promise<void> {
  let result: RestResult;
  try {
    const url = requestUrl(req, "http://registry");
    if (!url) throw new RestError(400, 400, BAD_REQUEST_TARGET.message);
    const { handler, params } = router.match(req.method ?? "GET", url.pathname);
    // The audit log names the authenticated key; a caller-supplied name (x-trackway-actor) is ignored.
    const actor = await authorizeRest(access, req, url.pathname, params);
    result = await handler({ params, query: url.searchParams, json: () => readJson(req, bodyLimit), actor, raw: req });
  } catch (e) {
    const err = toRestError(e);
    if (err.status >= 500) log.error("rest request failed", { method: req.method, url: req.url, err: e instanceof Error ? e.stack : String(e) });
    result = { json: { error_code: err.errorCode, message: err.message }, status: err.status };
    // An unread (oversized) body would otherwise keep the socket busy: close the connection after answering.
    if (err instanceof RestError && err.status === 413) res.setHeader("connection", "close");
    if (err.status === 401) res.setHeader("www-authenticate", 'Basic realm="trackway-registry"');
  }
  const body = "json" in result ? JSON.stringify(result.json) : result.text;
  res.writeHead(result.status ?? 200, {
    "content-type": "json" in result ? JSON_TYPE : "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}
