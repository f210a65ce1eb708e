import { status, type Metadata } from "@grpc/grpc-js";
import { withTransaction } from "@trackway/db";
import {
  EventUse,
  type ClearUsageRestrictionRequest,
  type ClearUsageRestrictionResponse,
  type ListUsageRestrictionsResponse,
  type SetUsageRestrictionRequest,
  type SetUsageRestrictionResponse,
  type UsageRestriction,
} from "@trackway/proto/registry/v1";
import { TrackwayError } from "@trackway/runtime";
import type pg from "pg";
import { grpcCredentials } from "../access/grpc-guard.js";
import type { RegistryAccess } from "../access/registry-access.js";
import type { Credentials } from "../access/credentials.js";
import { MAX_PREFIX_LENGTH } from "../core/ownership.js";
import { usageViewFor } from "../core/visibility.js";
import { appendAudit } from "../store/audit.js";
import { UsageStore, type UsageTarget } from "../store/usage.js";

interface Call {
  metadata: Metadata;
}

const argumentInvalid = (message: string) => new TrackwayError(status.INVALID_ARGUMENT, "ARGUMENT_INVALID", message);

/** The restriction's target and use, or INVALID_ARGUMENT: exactly one of subject and prefix, a use, tenants named. */
export function usageTargetOf(r: UsageRestriction | undefined): UsageTarget {
  if (!r) throw argumentInvalid("a restriction is required");
  if (!r.subject === !r.prefix) throw argumentInvalid("exactly one of subject and prefix is required");
  const target = r.subject || r.prefix;
  if (target.length > MAX_PREFIX_LENGTH) throw argumentInvalid(`a subject or prefix has at most ${MAX_PREFIX_LENGTH} characters`);
  if (r.use !== EventUse.EVENT_USE_SEND && r.use !== EventUse.EVENT_USE_QUERY) throw argumentInvalid("the use is required: SEND or QUERY");
  if (r.tenants.some((t) => !t)) throw argumentInvalid("a listed tenant is empty");
  return { target, isPrefix: !r.subject, use: r.use === EventUse.EVENT_USE_QUERY ? "query" : "send" };
}

/** Allows a change of `t`'s restriction: like any change of the subject, or like a grant for a prefix; returns the actor. */
const authorize = (access: RegistryAccess, c: Credentials, t: UsageTarget, action: string) =>
  t.isPrefix ? access.writePrefix(c, t.target, `${action} ${t.use} ${t.target}*`) : access.write(c, t.target, action);

/** The send and query restriction RPCs: set and clear (owner-protected, audited) and the list (whole for ingest and the gateway, a tenant's part otherwise). */
export const usageRpcs = (access: RegistryAccess, pool: pg.Pool) => ({
  setUsageRestriction: async (req: SetUsageRestrictionRequest, call: Call): Promise<SetUsageRestrictionResponse> => {
    const t = usageTargetOf(req.restriction);
    const tenants = [...new Set(req.restriction!.tenants)].sort();
    const actor = await authorize(access, grpcCredentials(call.metadata), t, "RESTRICT_USE");
    return withTransaction(pool, async (tx) => {
      const store = new UsageStore(tx);
      const before = await store.tenantsOf(t);
      await store.set(t, tenants, actor);
      await appendAudit(tx, [
        {
          subject: t.isPrefix ? undefined : t.target,
          action: "RESTRICT_USE",
          actor,
          before: before ? { tenants: before } : undefined,
          after: { [t.isPrefix ? "prefix" : "subject"]: t.target, use: t.use, tenants },
        },
      ]);
      return { replaced: before !== undefined };
    });
  },
  clearUsageRestriction: async (req: ClearUsageRestrictionRequest, call: Call): Promise<ClearUsageRestrictionResponse> => {
    const t = usageTargetOf(req.restriction);
    const actor = await authorize(access, grpcCredentials(call.metadata), t, "UNRESTRICT_USE");
    return withTransaction(pool, async (tx) => {
      const store = new UsageStore(tx);
      const before = await store.tenantsOf(t);
      const removed = await store.clear(t);
      if (removed) {
        await appendAudit(tx, [
          { subject: t.isPrefix ? undefined : t.target, action: "UNRESTRICT_USE", actor, before: { tenants: before }, after: { [t.isPrefix ? "prefix" : "subject"]: t.target, use: t.use } },
        ]);
      }
      return { removed };
    });
  },
  // A tenant's key sees only what concerns its tenant; the whole snapshot (what enforcing needs) takes read-all or admin.
  listUsageRestrictions: async (_req: unknown, call: Call): Promise<ListUsageRestrictionsResponse> => {
    const { tenant } = await access.readView(grpcCredentials(call.metadata));
    const full = await new UsageStore(pool).snapshot();
    if (tenant === undefined) return full;
    return { ...usageViewFor(full, await access.ownership.givenGrants(), tenant), tenant };
  },
});
