import type { Metadata } from "@grpc/grpc-js";
import { apiKeyInvalid, apiKeyMissing, notAnOperator } from "../errors.js";
import type { TenantKeys } from "../store/tenant-keys.js";

/** The API key of a call: the `x-api-key` metadata entry, else `authorization: Bearer <key>`. */
export function apiKeyOf(metadata: Metadata): string | undefined {
  const direct = metadata.get("x-api-key")[0];
  if (direct !== undefined && String(direct).trim()) return String(direct).trim();
  const auth = metadata.get("authorization")[0];
  return auth === undefined ? undefined : /^\s*bearer\s+(\S+)\s*$/i.exec(String(auth))?.[1];
}

/** Resolves a call's tenant from its API key; UNAUTHENTICATED when there is no valid key. */
export type Authenticate = (call: { metadata: Metadata }) => Promise<string>;

/** Authentication by ingest's API keys. */
export function authenticator(keys: TenantKeys): Authenticate {
  return async (call) => {
    const key = apiKeyOf(call.metadata);
    if (!key) throw apiKeyMissing();
    const tenant = await keys.tenantOf(key);
    if (!tenant) throw apiKeyInvalid();
    return tenant;
  };
}

/** Authentication that also requires an operator tenant (job control changes what every tenant's data goes through). */
export function operatorAuthenticator(auth: Authenticate, operators: ReadonlySet<string>): Authenticate {
  return async (call) => {
    const tenant = await auth(call);
    if (!operators.has(tenant)) throw notAnOperator(tenant);
    return tenant;
  };
}
