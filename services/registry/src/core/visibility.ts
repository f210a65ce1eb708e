import type { PrefixGrant } from "./ownership.js";

/** A prefix grant with the actor who gave it (`tenant/key-id`, as the audit log names it). */
export interface GivenGrant extends PrefixGrant {
  createdBy: string;
}

/** A send or query restriction as stored: a subject or a prefix. */
export interface RestrictionTarget {
  target: string;
  isPrefix: boolean;
}

/** The tenant of an actor `tenant/key-id` (key ids hold no `/`); undefined for other actors (`anonymous`, `stack`). */
export function actorTenant(actor: string): string | undefined {
  const at = actor.lastIndexOf("/");
  return at > 0 ? actor.slice(0, at) : undefined;
}

/**
 * The grants that concern `tenant`: those it holds, those one of its keys gave, and those under a prefix it holds
 * (it may revoke them). Another tenant's grants elsewhere are none of its business.
 */
export function grantsConcerning<G extends GivenGrant>(grants: readonly G[], tenant: string): G[] {
  const held = grants.filter((g) => g.tenant === tenant);
  return grants.filter((g) => g.tenant === tenant || actorTenant(g.createdBy) === tenant || held.some((h) => g.prefix.startsWith(h.prefix)));
}

/**
 * Whether a restriction concerns `tenant`, i.e. is one its tenant could change: on a subject it owns or holds a
 * grant covering, or on a prefix under a grant it holds.
 */
export function restrictionConcerns(r: RestrictionTarget, tenant: string, owners: ReadonlyMap<string, string>, held: readonly PrefixGrant[]): boolean {
  if (!r.isPrefix && owners.get(r.target) === tenant) return true;
  return held.some((g) => g.tenant === tenant && r.target.startsWith(g.prefix));
}

/** What ListUsageRestrictions answers: restrictions (a subject or a prefix each), the owners they need, grants. */
export interface UsageView<R extends { subject: string; prefix: string }> {
  restrictions: R[];
  owners: { subject: string; tenant: string }[];
  grants: PrefixGrant[];
}

/**
 * The part of the whole usage snapshot that concerns `tenant`: the restrictions it could change, the owners of the
 * subjects those cover, and the grants that concern it (grantsConcerning). `grants` are every grant with its giver.
 */
export function usageViewFor<R extends { subject: string; prefix: string }>(
  full: Pick<UsageView<R>, "restrictions" | "owners">,
  grants: readonly GivenGrant[],
  tenant: string,
): UsageView<R> {
  const owners = new Map(full.owners.map((o) => [o.subject, o.tenant]));
  const held = grants.filter((g) => g.tenant === tenant);
  const restrictions = full.restrictions.filter((r) => restrictionConcerns({ target: r.subject || r.prefix, isPrefix: !r.subject }, tenant, owners, held));
  const covered = (subject: string) => restrictions.some((r) => (r.subject ? r.subject === subject : subject.startsWith(r.prefix)));
  return {
    restrictions,
    owners: full.owners.filter((o) => covered(o.subject)),
    grants: grantsConcerning(grants, tenant).map((g) => ({ prefix: g.prefix, tenant: g.tenant })),
  };
}
