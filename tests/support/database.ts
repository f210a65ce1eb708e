import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * The PostgreSQL server the integration tests use: DATABASE_URL when set, else the local stack's.
 * A missing server fails the test (never skips it).
 */
export async function serverUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  // The local stack's PostgreSQL (started if needed; throws, failing the test, when it cannot come up).
  const { ensureStack } = await import("@trackway/stack");
  return (await ensureStack()).databaseUrl;
}

/** A new, empty database on the test server, so each test file starts from nothing; `drop()` removes it. */
export async function freshDatabase(prefix = "registry_test"): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = await serverUrl();
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
