import { createRegistryClient, type RegistryClient } from "@trackway/registry-client";
import { RegistryConfig, startRegistry, type RunningRegistry } from "@trackway/registry";
import { parseConfig, silentLogger } from "@trackway/runtime";
import { freshDatabase } from "./database.js";

/** A registry on its own fresh database, with a gRPC client and its REST base URL. */
export interface TestRegistry {
  registry: RunningRegistry;
  client: RegistryClient;
  /** `http://127.0.0.1:<port>` of the Confluent REST API. */
  rest: string;
  databaseUrl: string;
  /** Stops the registry and drops its database. */
  stop(): Promise<void>;
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
  const client = createRegistryClient(registry.address);
  return {
    registry,
    client,
    rest: `http://127.0.0.1:${registry.restPort}`,
    databaseUrl: db.url,
    stop: async () => {
      client.close();
      await registry.stop(500);
      await db.drop();
    },
  };
}

/** A small proto3 file in package `p` with the given body. */
export const proto = (body: string, pkg = "p") => `syntax = "proto3";\npackage ${pkg};\n${body}\n`;
