import type { Metadata } from "@grpc/grpc-js";
import type { Logger } from "@trackway/runtime";
import { apiKeyFromMetadata, hashApiKey, looksLikeApiKey } from "./api-key.js";
import { apiKeyInvalid, apiKeyMissing, keyStoreUnavailable, scopeMissing } from "./errors.js";
import type { Principal, PrincipalLookup, Scope } from "./principal.js";

/** The part of a gRPC call authentication reads. */
export interface CallWithMetadata {
  metadata: Metadata;
}

/** Resolves a call's principal from its API key, or throws UNAUTHENTICATED with a reason. */
export type Authenticate = (call: CallWithMetadata) => Promise<Principal>;

/**
 * The auth step of every service: reads the call's key (`x-api-key`, else `authorization: Bearer`) and looks
 * it up. Throws UNAUTHENTICATED (API_KEY_MISSING, API_KEY_INVALID) or UNAVAILABLE (KEY_STORE_UNAVAILABLE).
 * Pass a CachedApiKeys as `keys` so that only cache misses reach the database.
 */
export function authenticator(keys: PrincipalLookup, logger?: Logger): Authenticate {
  return (call) => authenticateKey(keys, apiKeyFromMetadata((name) => call.metadata.get(name)), logger);
}

/**
 * The principal of a key however it arrived (gRPC metadata, an HTTP header): UNAUTHENTICATED (API_KEY_MISSING,
 * API_KEY_INVALID) or UNAVAILABLE (KEY_STORE_UNAVAILABLE) otherwise.
 */
export async function authenticateKey(keys: PrincipalLookup, key: string | undefined, logger?: Logger): Promise<Principal> {
  if (!key) throw apiKeyMissing();
  // A malformed key never reaches the store: it cannot match, and bad input should not cost a query.
  if (!looksLikeApiKey(key)) throw apiKeyInvalid();
  let principal: Principal | undefined;
  try {
    principal = await keys.findByHash(hashApiKey(key));
  } catch (e) {
    logger?.warn("api key lookup failed", { err: e instanceof Error ? e.message : String(e) });
    throw keyStoreUnavailable(e);
  }
  if (!principal) throw apiKeyInvalid();
  return principal;
}

/** Throws PERMISSION_DENIED (SCOPE_MISSING) unless the principal carries `scope`. */
export function requireScope(principal: Principal, scope: Scope): Principal {
  if (!principal.scopes.has(scope)) throw scopeMissing(principal.keyId, scope);
  return principal;
}

/** An Authenticate that also requires `scope` of the key. */
export function scoped(auth: Authenticate, scope: Scope): Authenticate {
  return async (call) => requireScope(await auth(call), scope);
}
