import { ApiKeyStore } from "@trackway/auth";
import { createPool } from "@trackway/db";
import { createRegistryClient, type RegistryClient } from "@trackway/registry-client";
import { RegistryConfig, startRegistry, type RunningRegistry } from "@trackway/registry";
import { parseConfig, silentLogger } from "@trackway/runtime";
import { freshDatabase } from "./database.js";

/** A registry on its own fresh database, with a gRPC client and its REST base URL. */
export interface TestRegistry {
  registry: RunningRegistry;
  /** A client with an admin key (`schemas:admin`, tenant `registry-it`): may change anything. */
  client: RegistryClient;
  /** `http://127.0.0.1:<port>` of the Confluent REST API. */
  rest: string;
  databaseUrl: string;
  /** The admin key of `client`, its id, and the actor the audit log names for it. */
  admin: { key: string; keyId: string; actor: string };
  /** HTTP headers authenticating REST requests with the admin key (HTTP Basic `key-id:secret`). */
  auth: { authorization: string };
  /**
   * Calls the REST API as Confluent's clients do (their content type; a string body is sent as is, anything else as
   * JSON), with the admin key unless `headers` are given. `json` is the parsed body, undefined when it is not JSON.
   */
  restCall<J = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<RestAnswer<J>>;
  /** Issues a key of `tenant` with `scopes`. */
  key(tenant: string, scopes: string[]): Promise<{ key: string; keyId: string; actor: string }>;
  /** A gRPC client sending `key` (none: anonymous). */
  clientWith(key?: string): RegistryClient;
  /** Stops the registry and drops its database. */
  stop(): Promise<void>;
}

/** What the REST API answered. */
export interface RestAnswer<J> {
  status: number;
  json: J;
  text: string;
  /** The content-type header. */
  type: string | null;
}

/** Starts a real registry (real Postgres, migrations, envelope) on free ports; extra env overrides the config. */
export async function startTestRegistry(env: Record<string, string> = {}): Promise<TestRegistry> {
  const db = await freshDatabase();
  // Port 0: any free port, so that tests run beside the stack's own services.
  const config = parseConfig(RegistryConfig, {
    DATABASE_URL: db.url,
    TRACKWAY_REGISTRY_PORT: "0",
    TRACKWAY_REGISTRY_METRICS_PORT: "0",
    TRACKWAY_REGISTRY_REST_PORT: "0",
    TRACKWAY_REGISTRY_WATCH_POLL: "200ms",
    TRACKWAY_LOG_LEVEL: "silent",
    ...env,
  });
  const registry = await startRegistry(config, silentLogger);
  // The registry migrated the database, api_keys included.
  const pool = createPool(db.url, { max: 1 });
  const keys = new ApiKeyStore(pool);
  const key = async (tenant: string, scopes: string[]) => {
    const { key, record } = await keys.create({ tenant, name: "registry-it", scopes });
    return { key, keyId: record.id, actor: `${tenant}/${record.id}` };
  };
  const admin = await key("registry-it", ["schemas:read", "schemas:write", "schemas:admin", "events:write", "query:read"]);
  const clients = [createRegistryClient(registry.address, { apiKey: admin.key })];
  const rest = `http://127.0.0.1:${registry.restPort}`;
  const auth = { authorization: `Basic ${Buffer.from(`${admin.keyId}:${admin.key}`).toString("base64")}` };
  return {
    registry,
    client: clients[0]!,
    rest,
    databaseUrl: db.url,
    admin,
    auth,
    restCall: async (method, path, body, headers = auth) => {
      const res = await fetch(`${rest}${path}`, {
        method,
        headers: { "content-type": "application/vnd.schemaregistry.v1+json", ...headers },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, json: json as never, text, type: res.headers.get("content-type") };
    },
    key,
    clientWith: (k) => {
      const c = createRegistryClient(registry.address, { apiKey: k });
      clients.push(c);
      return c;
    },
    stop: async () => {
      for (const c of clients) c.close();
      await registry.stop(500);
      await pool.end();
      await db.drop();
    },
  };
}

/** A small proto3 file in package `p` with the given body. */
export const proto = (body: string, pkg = "p") => `syntax = "proto3";\npackage ${pkg};\n${body}\n`;
