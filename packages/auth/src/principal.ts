/** Every scope a key may carry; a call needs the scope of what it does. */
export const SCOPES = ["events:write", "query:read", "schemas:read", "schemas:write", "jobs:admin", "keys:admin"] as const;

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
}

/** Looks a principal up by the hash of its API key; undefined when the key is unknown or revoked. */
export interface PrincipalLookup {
  findByHash(hash: string): Promise<Principal | undefined>;
}
