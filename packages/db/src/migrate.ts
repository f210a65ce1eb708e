import { runner } from "node-pg-migrate";
import type pg from "pg";

/** Table that records which migration files ran, and when. */
export const MIGRATIONS_TABLE = "trackway_migrations";
/** Advisory lock key every Trackway migration run takes, so that runs never overlap. */
export const MIGRATION_LOCK_KEY = 7_215_306_431_055_911;

/** Options of migrate. */
export interface MigrateOptions {
  /** Receives one line per step (which files ran). @default silent */
  log?: (line: string) => void;
}

/**
 * Applies the plain SQL files of `dir` (sorted by their numeric prefix, `0001_x.sql`) that have not run
 * yet, each in its own transaction together with its row in `trackway_migrations`, and returns the names
 * it applied. Idempotent: a second run applies nothing. Safe when several processes run it at once: each
 * waits for a PostgreSQL advisory lock, so one applies the files and the others then find nothing to do.
 */
export async function migrate(pool: pg.Pool, dir: string, options: MigrateOptions = {}): Promise<string[]> {
  const log = options.log ?? (() => {});
  // A session-level advisory lock belongs to one connection: hold one client for the whole run.
  const client = await pool.connect();
  let failed = false;
  try {
    const applied = await runner({
      dbClient: client,
      dir,
      direction: "up",
      migrationsTable: MIGRATIONS_TABLE,
      // Wait for a concurrent run instead of failing; it will have applied everything when we get the lock.
      advisoryLockMode: "wait",
      lockValue: MIGRATION_LOCK_KEY,
      // Services own number ranges (registry 0001–0009, ingest 0010–0019, …): a lower file added after
      // a higher one ran is expected, not an error.
      checkOrder: false,
      // One transaction per file, so a failing file leaves the ones before it applied and itself not at all.
      singleTransaction: false,
      // Only plain SQL; anything else in the folder (a README) is not a migration.
      ignorePattern: "(?:\\..*|.*(?<!\\.sql))",
      logger: { debug: () => {}, info: log, warn: log, error: log },
    });
    return applied.map((m) => m.name);
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    // After a failed file the runner leaves its transaction aborted and its advisory lock held: close
    // that connection (which ends both) instead of handing it back to the pool.
    client.release(failed);
  }
}
