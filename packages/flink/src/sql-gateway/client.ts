import { requestJson, type JsonRequest } from "../http.js";
import { SqlGatewaySession } from "./session.js";

/** Options of the SQL Gateway client. */
export interface SqlGatewayClientOptions {
  /** e.g. `http://127.0.0.1:8083`. */
  baseUrl: string;
  /** The HTTP seam (tests pass a fake). @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Wait between polls of a result that is not ready. @default 200 */
  pollIntervalMs?: number;
}

/** Options of a new session. */
export interface OpenSessionOptions {
  name?: string;
  /** Session config such as `execution.runtime-mode`. */
  properties?: Record<string, string>;
}

/** The client of the Flink SQL Gateway REST API (v2: results as JSON rows). */
export class SqlGatewayClient {
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  readonly pollIntervalMs: number;

  constructor(options: SqlGatewayClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.fetch = options.fetch ?? globalThis.fetch;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
  }

  /** One request to the gateway (`path` under the base URL). */
  request<T>(path: string, init?: JsonRequest): Promise<T> {
    return requestJson<T>(this.fetch, "sql-gateway", this.baseUrl, path, init);
  }

  /** Product name and version of the gateway (`GET /v1/info`). */
  info(signal?: AbortSignal): Promise<{ productName: string; version: string }> {
    return this.request("/v1/info", { signal });
  }

  /** Opens a session. */
  async openSession(options: OpenSessionOptions = {}): Promise<SqlGatewaySession> {
    const body = { sessionName: options.name, properties: options.properties ?? {} };
    const { sessionHandle } = await this.request<{ sessionHandle: string }>("/v2/sessions", { method: "POST", body });
    return new SqlGatewaySession(this, sessionHandle);
  }

  /** Opens a session, runs `fn` with it and closes it whatever happens. */
  async withSession<T>(fn: (session: SqlGatewaySession) => Promise<T>, options: OpenSessionOptions = {}): Promise<T> {
    const session = await this.openSession(options);
    try {
      return await fn(session);
    } finally {
      await session.close().catch(() => {});
    }
  }
}
