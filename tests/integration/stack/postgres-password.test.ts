import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  LEGACY_POSTGRES_PASSWORD,
  loadStackConfig,
  localPostgresPassword,
  postgresPart,
  postgresPasswordFile,
  secureStateDir,
  stackContext,
  stopProcess,
  waitHealthy,
} from "@trackway/stack";
import { freePort } from "../../support/index.js";

// Its own state dir and port: the shared stack is not touched.
let stateDir = "";
let stop: (() => Promise<unknown>) | undefined;
afterAll(async () => {
  await stop?.();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

const canLogIn = async (url: string) => {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
};

describe("the local PostgreSQL's generated password and the state dir's modes", () => {
  it("makes a random password in a 600 file, closes the state dir, and the server takes only that password", async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), "tw-iso-pgpw-"));
    const config = loadStackConfig({ TRACKWAY_STATE_DIR: stateDir, TRACKWAY_PG_PORT: String(await freePort()) });
    const password = localPostgresPassword(stateDir);
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(password).not.toBe(LEGACY_POSTGRES_PASSWORD);
    expect((await stat(postgresPasswordFile(stateDir))).mode & 0o777).toBe(0o600);
    expect(config.endpoints.databaseUrl).toContain(`postgres:${password}@`);
    expect(localPostgresPassword(stateDir)).toBe(password);

    const ctx = stackContext(config);
    await secureStateDir(ctx);
    const rootMode = (await stat(stateDir)).mode & 0o777;
    if (process.getuid?.() === 0) {
      // As root the server runs as `postgres`: only its group may enter the state dir; its own dir is its alone.
      expect(rootMode).toBe(0o710);
      const pgDir = await stat(path.join(stateDir, "postgres"));
      expect(pgDir.mode & 0o777).toBe(0o700);
      expect(pgDir.uid).not.toBe(0);
    } else {
      expect(rootMode).toBe(0o700);
    }

    const record = await postgresPart.start(ctx);
    stop = () => stopProcess(record, "SIGINT", 10_000);
    await waitHealthy("PostgreSQL", postgresPart.probe(ctx, true), { timeoutSeconds: 60, record, logFiles: postgresPart.logFiles(ctx) });
    const admin = (pw: string) => `postgres://postgres:${encodeURIComponent(pw)}@127.0.0.1:${config.ports.postgres}/postgres`;
    expect(await canLogIn(admin(password))).toBe(true);
    expect(await canLogIn(admin(LEGACY_POSTGRES_PASSWORD))).toBe(false);
  }, 120_000);
});
