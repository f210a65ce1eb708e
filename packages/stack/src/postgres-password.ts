import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The password local stacks made before passwords were generated; their data dirs still use it. */
export const LEGACY_POSTGRES_PASSWORD = "postgres";

/** Where a state dir keeps the local PostgreSQL password (mode 600, readable only by the stack's user). */
export const postgresPasswordFile = (stateDir: string) => path.join(stateDir, "postgres.password");

/** Whether the state dir holds a PostgreSQL data dir made before passwords were generated. */
export const usesLegacyPostgresPassword = (stateDir: string) =>
  !existsSync(postgresPasswordFile(stateDir)) && existsSync(path.join(stateDir, "postgres", "data", "PG_VERSION"));

/**
 * The local PostgreSQL password of a state dir: read from its file; made (random, 32 characters, file mode 600, the
 * state dir created with mode 700) when the state dir has no database yet; the legacy fixed password for a data dir
 * made before (`up` says how to move off it). Every local DATABASE_URL is built from this.
 */
export function localPostgresPassword(stateDir: string): string {
  const file = postgresPasswordFile(stateDir);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  if (usesLegacyPostgresPassword(stateDir)) return LEGACY_POSTGRES_PASSWORD;
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const password = randomBytes(24).toString("base64url");
  try {
    writeFileSync(file, `${password}\n`, { mode: 0o600, flag: "wx" });
  } catch (e) {
    // Another process made it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8").trim();
    throw e;
  }
  chmodSync(file, 0o600);
  return password;
}
