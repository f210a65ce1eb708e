import pg from "pg";

/** Options of createPool beyond the connection URL. */
export interface PoolOptions {
  /** Most connections the pool opens. @default 10 */
  max?: number;
  /** Name shown in `pg_stat_activity`, for example `trackway-registry`. */
  applicationName?: string;
  /** Called when an idle connection fails (server restart, network cut); the pool replaces it. */
  onIdleError?: (err: Error) => void;
}

/**
 * Creates a PostgreSQL connection pool for a `postgres://` URL. An error on an idle connection is
 * reported to `onIdleError` instead of crashing the process (pg emits it on the pool otherwise).
 */
export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "trackway",
    // A dead server should fail a request quickly rather than hang it.
    connectionTimeoutMillis: 10_000,
  });
  pool.on("error", (err) => options.onIdleError?.(err));
  return pool;
}

/** A pg pool, re-exported so callers need not depend on pg's default export shape. */
export type Pool = pg.Pool;
/** A checked-out pg client. */
export type PoolClient = pg.PoolClient;
