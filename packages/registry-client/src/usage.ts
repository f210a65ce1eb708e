import { EventUse, type ListUsageRestrictionsResponse } from "@trackway/proto/registry/v1";

/** What a tenant does with an event type: send it to ingest, or query it through the compute gateway. */
export type UsageKind = "send" | "query";

/** One restriction, as decided on: a subject or a prefix, one use, the tenants listed. */
export interface UsageRule {
  target: string;
  isPrefix: boolean;
  use: UsageKind;
  tenants: readonly string[];
}

/** Everything deciding a use needs: the restrictions, the owners of the subjects they cover, and every prefix grant. */
export interface UsageSnapshot {
  rules: readonly UsageRule[];
  owners: ReadonlyMap<string, string>;
  grants: readonly { prefix: string; tenant: string }[];
}

/**
 * The snapshot of a ListUsageRestrictions answer. Throws for an answer limited to one tenant (a key without
 * `schemas:read-all`): deciding with it would let every tenant use what other tenants' restrictions forbid.
 */
export function usageSnapshotOf(r: ListUsageRestrictionsResponse): UsageSnapshot {
  if (r.tenant) {
    throw new Error(
      `the registry answered only tenant "${r.tenant}"'s send and query restrictions: give the key this service reads the registry with the scope schemas:read-all`,
    );
  }
  return {
    rules: r.restrictions.map((x) => ({
      target: x.subject || x.prefix,
      isPrefix: !x.subject,
      use: x.use === EventUse.EVENT_USE_QUERY ? "query" : "send",
      tenants: x.tenants,
    })),
    owners: new Map(r.owners.map((o) => [o.subject, o.tenant])),
    grants: r.grants,
  };
}

/** The rule deciding `use` of `subject`: the subject's own rule, else the longest prefix rule covering it; undefined when none (open to all). */
export function ruleFor(s: UsageSnapshot, subject: string, use: UsageKind): UsageRule | undefined {
  let best: UsageRule | undefined;
  for (const r of s.rules) {
    if (r.use !== use) continue;
    if (!r.isPrefix) {
      if (r.target === subject) return r;
      continue;
    }
    if (subject.startsWith(r.target) && (!best || r.target.length > best.target.length)) best = r;
  }
  return best;
}

/**
 * Whether `tenant` may `use` events of `subject`. Without a restriction every tenant may (the default); with one,
 * the tenants it lists may, and so do the subject's owner and the holders of prefix grants covering it (a team never
 * locks itself out of its own event types).
 */
export function usageAllowed(s: UsageSnapshot, subject: string, use: UsageKind, tenant: string): boolean {
  const rule = ruleFor(s, subject, use);
  if (!rule || rule.tenants.includes(tenant)) return true;
  if (s.owners.get(subject) === tenant) return true;
  return s.grants.some((g) => g.tenant === tenant && subject.startsWith(g.prefix));
}
