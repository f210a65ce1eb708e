import { createHash, randomBytes } from "node:crypto";

/** Prefix of every Trackway API key, so that a leaked key is recognisable (secret scanners, logs). */
export const API_KEY_PREFIX = "twk_";
const KEY_SHAPE = /^twk_[A-Za-z0-9_-]{43}$/;

/** A new random API key: `twk_` + 32 random bytes in base64url (256 bits of entropy). */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString("base64url");
}

/**
 * The stored form of a key: hex SHA-256. A fast hash is enough here because keys are 256-bit random
 * strings that cannot be guessed or found by brute force; a slow password hash (bcrypt, scrypt) only helps
 * low-entropy secrets, would cost tens of milliseconds of CPU on every cache miss, and, being salted,
 * could not be looked up by an index.
 */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Whether a string has the shape of a Trackway API key (checked before any lookup). */
export function looksLikeApiKey(key: string): boolean {
  return KEY_SHAPE.test(key);
}

/** The first characters of a key, safe to show in listings and logs. */
export function keyHint(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 6);
}

/**
 * The API key a call carries: the `x-api-key` metadata entry, else an `authorization: Bearer <key>` entry.
 * `get` returns the metadata values of a (lowercase) key.
 */
export function apiKeyFromMetadata(get: (name: string) => readonly (string | Buffer)[]): string | undefined {
  const direct = get("x-api-key")[0];
  if (direct !== undefined && String(direct).trim()) return String(direct).trim();
  const auth = get("authorization")[0];
  const m = auth === undefined ? null : /^\s*bearer\s+(\S+)\s*$/i.exec(String(auth));
  return m?.[1];
}
