import { createPool, defaultMigrationsDir, migrate, type Pool } from "@trackway/db";

/** A database URL with its password hidden, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}

/**
 * Runs `fn` with a pool on `url` after applying the migrations (so a fresh database works), then closes the pool.
 * A database that cannot be prepared is named (password hidden) in the error.
 */
export async function withMigratedPool<T>(url: string, fn: (pool: Pool) => Promise<T>, o: { max?: number; applicationName?: string } = {}): Promise<T> {
  const pool = createPool(url, { max: o.max ?? 1, applicationName: o.applicationName ?? "trackway-cli" });
  try {
    await migrate(pool, defaultMigrationsDir).catch((e: unknown) => {
      throw new Error(`cannot prepare the database ${redactUrl(url)}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    });
    return await fn(pool);
  } finally {
    await pool.end();
  }
}
