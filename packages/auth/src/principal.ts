import { scopeUnknown } from "./errors.js";

/**
 * Every scope a key may carry; a call needs the scope of what it does. `events:write` sends events to ingest,
 * `query:read` queries the tenant's data, `schemas:read` reads the registry, `schemas:write` changes the subjects
 * the tenant owns or holds a grant on, `schemas:admin` changes any subject, global settings and grants,
 * `schemas:read-all` reads every tenant's send and query restrictions, grants and audit entries (what ingest and the
 * compute gateway need to enforce restrictions; a tenant's own key sees only what concerns its tenant),
 * `jobs:admin` controls warehouse jobs (operator rights), `keys:admin` manages its tenant's keys, `keys:operator`
 * manages every tenant's keys (operator rights), `users:delete` files and lists the tenant's user deletion requests.
 */
export const SCOPES = ["events:write", "query:read", "schemas:read", "schemas:read-all", "schemas:write", "schemas:admin", "jobs:admin", "keys:admin", "keys:operator", "users:delete"] as const;

/** The scopes of a key created without any named: what a key could always do (send events, query its data, read contracts). */
export const DEFAULT_SCOPES: readonly Scope[] = ["events:write", "query:read", "schemas:read"];

/** One right of an API key, e.g. `events:write` to send events. */
export type Scope = (typeof SCOPES)[number];

/** Whether a string names a scope. */
export function isScope(s: string): s is Scope {
  return (SCOPES as readonly string[]).includes(s);
}

/** Who is calling: the API key a call authenticated with, its tenant and what it may do. */
export interface Principal {
  /** The key's public id, e.g. `key_3f9a1c2b4d5e` (not secret; audit logs name it). */
  keyId: string;
  tenant: string;
  /** Event names the key may send; undefined allows every name. */
  allowedEvents: ReadonlySet<string> | undefined;
  scopes: ReadonlySet<Scope>;
  /** The key's own ingest rate limits; undefined fields follow the service's defaults, 0 is unlimited. */
  rateLimits?: KeyRateLimits;
}

/** Ingest rate limits of one key. */
export interface KeyRateLimits {
  eventsPerSecond?: number;
  bytesPerSecond?: number;
}

/** Looks a principal up by the hash of its API key; undefined when the key is unknown or revoked. */
export interface PrincipalLookup {
  findByHash(hash: string): Promise<Principal | undefined>;
}

/** The scopes a list names, in SCOPES order; throws INVALID_ARGUMENT (SCOPE_UNKNOWN) naming the first unknown one. */
export function parseScopes(names: readonly string[]): Scope[] {
  const unknown = names.find((n) => !isScope(n));
  if (unknown !== undefined) throw scopeUnknown(unknown);
  return SCOPES.filter((s) => names.includes(s));
}
