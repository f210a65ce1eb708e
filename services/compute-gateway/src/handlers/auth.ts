import { scoped, type Authenticate as AuthenticatePrincipal, type CallWithMetadata } from "@trackway/auth";
import { notAnOperator } from "../errors.js";

/** Resolves a call's tenant from its API key; UNAUTHENTICATED when there is no valid key. */
export type Authenticate = (call: CallWithMetadata) => Promise<string>;

/** The tenant of a key that may query (`query:read`); PERMISSION_DENIED (SCOPE_MISSING) for a key that may not. */
export function queryAuthenticator(auth: AuthenticatePrincipal): Authenticate {
  const query = scoped(auth, "query:read");
  return async (call) => (await query(call)).tenant;
}

/**
 * The tenant of a key with operator rights (`jobs:admin`): job control changes what every tenant's data goes
 * through. Others get PERMISSION_DENIED (NOT_AN_OPERATOR).
 */
export function operatorAuthenticator(auth: AuthenticatePrincipal): Authenticate {
  return async (call) => {
    const principal = await auth(call);
    if (!principal.scopes.has("jobs:admin")) throw notAnOperator(principal.tenant, principal.keyId);
    return principal.tenant;
  };
}
