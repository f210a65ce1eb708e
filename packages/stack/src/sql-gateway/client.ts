import { call } from "./http.js";
import { SqlGatewaySession } from "./session.js";

/** Options of the SQL Gateway client. */
export interface SqlGatewayClientOptions {
  /** e.g. `http://127.0.0.1:8083` (from `stackEndpoints().sqlGatewayUrl`). */
  baseUrl: string;
  /** Injected for tests. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Wait between polls of a result that is not ready. @default 200 */
  pollIntervalMs?: number;
}

/** A small client of the Flink SQL Gateway REST API (v2: results as JSON rows). */
export class SqlGatewayClient {
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  readonly pollIntervalMs: number;

  constructor(options: SqlGatewayClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.fetch = options.fetch ?? globalThis.fetch;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
  }

  /** Product name and version of the gateway (`GET /v1/info`). */
  info(): Promise<{ productName: string; version: string }> {
    return call(this.fetch, `${this.baseUrl}/v1/info`);
  }

  /** Opens a session; `properties` are session config such as `execution.runtime-mode`. */
  async openSession(options: { name?: string; properties?: Record<string, string> } = {}): Promise<SqlGatewaySession> {
    const body = { sessionName: options.name, properties: options.properties ?? {} };
    const { sessionHandle } = await call<{ sessionHandle: string }>(this.fetch, `${this.baseUrl}/v2/sessions`, { method: "POST", body });
    return new SqlGatewaySession(this, sessionHandle);
  }

  /** Opens a session, runs `fn` with it and closes it whatever happens. */
  async withSession<T>(fn: (session: SqlGatewaySession) => Promise<T>, options: { name?: string; properties?: Record<string, string> } = {}): Promise<T> {
    const session = await this.openSession(options);
    try {
      return await fn(session);
    } finally {
      await session.close().catch(() => {});
    }
  }
}
