import { chmod, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ApiKeyStore } from "@trackway/auth";
import { createPool, defaultMigrationsDir, migrate } from "@trackway/db";
import type { StackContext } from "./part.js";

/** The tenant of the local stack's service key (ingest and the compute gateway read the registry with it). */
export const SERVICE_TENANT = "trackway-services";

/**
 * The API key the local stack's ingest and compute gateway read the registry with (scopes `schemas:read` and `schemas:read-all`: the whole send and query snapshot they enforce): kept
 * in `<state>/service-key` (mode 0600) and issued on first use, so a restarted stack keeps its key.
 */
export async function stackServiceKey(ctx: StackContext): Promise<string> {
  const file = path.join(ctx.paths.root, "service-key");
  const existing = await readFile(file, "utf8").then(
    (s) => s.trim(),
    () => "",
  );
  if (existing) return existing;
  const pool = createPool(ctx.config.endpoints.databaseUrl, { max: 1, applicationName: "trackway-stack" });
  try {
    await migrate(pool, defaultMigrationsDir);
    const { key } = await new ApiKeyStore(pool).create({ tenant: SERVICE_TENANT, name: "local stack services", scopes: ["schemas:read", "schemas:read-all"], createdBy: "stack" });
    await writeFile(file, `${key}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
    return key;
  } finally {
    await pool.end();
  }
}
