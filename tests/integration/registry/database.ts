import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * The PostgreSQL server the integration tests use: DATABASE_URL when set, else the local stack's.
 * A missing server fails the test (never skips it).
 */
export async function serverUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const stack = (await import("@trackway/stack")) as { ensureStack?: (o?: object) => Promise<{ databaseUrl?: string; endpoints?: { databaseUrl: string } }> };
  if (!stack.ensureStack) throw new Error("no DATABASE_URL and @trackway/stack has no ensureStack(): cannot reach PostgreSQL");
  const s = await stack.ensureStack({ parts: ["postgres"] });
  const url = s.endpoints?.databaseUrl ?? s.databaseUrl;
  if (!url) throw new Error("ensureStack() returned no database URL");
  return url;
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
