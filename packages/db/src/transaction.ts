import type pg from "pg";

/**
 * Runs `fn` in one transaction on a client from the pool: COMMIT when it resolves, ROLLBACK when it
 * throws (the error propagates). Nothing `fn` wrote is visible to others unless all of it is.
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (e) {
    // A failed ROLLBACK means the connection is unusable: destroy it rather than return it to the pool.
    await client.query("ROLLBACK").catch(() => (broken = true));
    throw e;
  } finally {
    client.release(broken);
  }
}
