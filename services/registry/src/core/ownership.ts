import type { Scope } from "@trackway/auth";

/** How a subject nobody owns yet may be created: `claim` lets any `schemas:write` key create it and own it; `grant` needs a prefix grant. */
export type NewSubjectPolicy = "claim" | "grant";

/** A tenant's right to create and change every subject whose name starts with `prefix`. */
export interface PrefixGrant {
  prefix: string;
  tenant: string;
}

/** Who wants to change something. */
export interface Writer {
  tenant: string;
  keyId: string;
  scopes: ReadonlySet<Scope>;
}

/** What the change touches: a subject (with its owner and the grants covering its name), or registry-wide settings. */
export interface WriteTarget {
  /** Undefined for registry-wide settings (global compatibility, mode). */
  subject?: string;
  owner?: string;
  /** Grants whose prefix the subject's name starts with. */
  grants: readonly PrefixGrant[];
}

/** The verdict: allowed (and whether the writer's tenant claims the unowned subject), or refused with a stable reason. */
export type WriteDecision = { allowed: true; claim: boolean } | { allowed: false; reason: string; message: string };

/** The grants whose prefix `subject` starts with. */
export const grantsCovering = (grants: readonly PrefixGrant[], subject: string): PrefixGrant[] => grants.filter((g) => subject.startsWith(g.prefix));

const refuse = (reason: string, message: string): WriteDecision => ({ allowed: false, reason, message });

/**
 * Whether `writer` may change `target`. `schemas:admin` may change anything; otherwise the key needs
 * `schemas:write` and its tenant must own the subject or hold a grant covering its name. A subject nobody owns is
 * claimed by its first writer unless grants reserve its name for other tenants or the policy requires a grant.
 */
export function decideWrite(writer: Writer, target: WriteTarget, policy: NewSubjectPolicy): WriteDecision {
  const { subject, owner, grants } = target;
  if (writer.scopes.has("schemas:admin")) return { allowed: true, claim: subject !== undefined && owner === undefined && grants.length === 0 };
  if (subject === undefined) return refuse("SCOPE_MISSING", `key ${writer.keyId} may not change registry-wide settings: that needs the scope "schemas:admin"`);
  if (!writer.scopes.has("schemas:write")) return refuse("SCOPE_MISSING", `key ${writer.keyId} may not change subjects: that needs the scope "schemas:write"`);
  if (owner === writer.tenant) return { allowed: true, claim: false };
  if (grants.some((g) => g.tenant === writer.tenant)) return { allowed: true, claim: owner === undefined };
  if (owner !== undefined) return refuse("NOT_SUBJECT_OWNER", `subject "${subject}" is owned by tenant "${owner}"; tenant "${writer.tenant}" may not change it`);
  if (grants.length > 0) {
    const holders = [...new Set(grants.map((g) => `"${g.tenant}" (${g.prefix}*)`))].join(", ");
    return refuse("SUBJECT_PREFIX_GRANTED", `subject "${subject}" is reserved by a prefix grant to ${holders}`);
  }
  if (policy === "grant") return refuse("GRANT_REQUIRED", `creating subject "${subject}" needs a prefix grant for tenant "${writer.tenant}" (trackway schema grant)`);
  return { allowed: true, claim: true };
}

/** The longest accepted prefix (registry_grants' CHECK). */
export const MAX_PREFIX_LENGTH = 255;

/**
 * Whether `writer` may add or remove a grant on `prefix`. `schemas:admin` may; otherwise the key needs
 * `schemas:write` and its tenant must hold a grant on `prefix` or on a shorter prefix of it (a team hands on part
 * of its own name space, never someone else's). `held` are the writer's tenant's grants.
 */
export function decideGrant(writer: Writer, prefix: string, held: readonly PrefixGrant[]): WriteDecision {
  if (writer.scopes.has("schemas:admin")) return { allowed: true, claim: false };
  if (!writer.scopes.has("schemas:write")) return refuse("SCOPE_MISSING", `key ${writer.keyId} may not change grants: that needs the scope "schemas:write" (and a grant on the prefix) or "schemas:admin"`);
  if (held.some((g) => g.tenant === writer.tenant && prefix.startsWith(g.prefix))) return { allowed: true, claim: false };
  return refuse("GRANT_NOT_HELD", `tenant "${writer.tenant}" holds no grant on "${prefix}" or a prefix of it, so it may not grant or revoke it`);
}
