import type { Authenticate as AuthenticatePrincipal, CallWithMetadata } from "@trackway/auth";
import { notAnOperator } from "../errors.js";

/** Resolves a call's tenant from its API key; UNAUTHENTICATED when there is no valid key. */
export type Authenticate = (call: CallWithMetadata) => Promise<string>;

/** The tenant of the call's principal (the auth step of `@trackway/auth`). */
export function tenantAuthenticator(auth: AuthenticatePrincipal): Authenticate {
  return async (call) => (await auth(call)).tenant;
}

/** Authentication that also requires an operator tenant (job control changes what every tenant's data goes through). */
export function operatorAuthenticator(auth: Authenticate, operators: ReadonlySet<string>): Authenticate {
  return async (call) => {
    const tenant = await auth(call);
    if (!operators.has(tenant)) throw notAnOperator(tenant);
    return tenant;
  };
}
