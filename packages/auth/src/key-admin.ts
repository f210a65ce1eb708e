import type { Principal, Scope } from "./principal.js";

/** The verdict on a key-management call: allowed, or refused with a stable reason. */
export type KeyAdminDecision = { allowed: true } | { allowed: false; reason: string; message: string };

const refuse = (reason: string, message: string): KeyAdminDecision => ({ allowed: false, reason, message });

/**
 * Whether `admin` may manage keys of `tenant` (and, when creating, give the new key `scopes`). `keys:operator`
 * manages every tenant's keys with any scopes. `keys:admin` manages only its own tenant's keys and may hand out only
 * scopes it holds itself, so that a tenant's key admin never mints rights it lacks (operator scopes included).
 */
export function decideKeyAdmin(admin: Principal, tenant: string, scopes: readonly Scope[] = []): KeyAdminDecision {
  if (admin.scopes.has("keys:operator")) return { allowed: true };
  if (!admin.scopes.has("keys:admin")) return refuse("SCOPE_MISSING", `API key ${admin.keyId} lacks the scope "keys:admin" (or "keys:operator")`);
  if (tenant !== admin.tenant) return refuse("TENANT_FORBIDDEN", `tenant "${admin.tenant}" may manage only its own keys, not tenant "${tenant}"'s (that needs "keys:operator")`);
  const beyond = scopes.filter((s) => !admin.scopes.has(s));
  if (beyond.length > 0) return refuse("SCOPE_ESCALATION", `API key ${admin.keyId} may not give scopes it lacks itself: ${beyond.join(", ")}`);
  return { allowed: true };
}
