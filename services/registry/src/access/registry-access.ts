import { withTransaction } from "@trackway/db";
import { authenticateKey, apiKeyInvalid, requireScope, type Principal, type PrincipalLookup, type Scope } from "@trackway/auth";
import type { Logger } from "@trackway/runtime";
import type pg from "pg";
import { status } from "@grpc/grpc-js";
import { TrackwayError } from "@trackway/runtime";
import { decideGrant, decideWrite, MAX_PREFIX_LENGTH, type NewSubjectPolicy, type PrefixGrant } from "../core/ownership.js";
import { accessDenied } from "./access-errors.js";
import { appendAudit } from "../store/audit.js";
import { OwnershipStore } from "../store/ownership.js";
import type { Credentials } from "./credentials.js";

/** Who the audit log names for a principal: tenant and key id. */
export const actorOf = (p: Principal): string => `${p.tenant}/${p.keyId}`;

/** The actor of reads allowed without a key (TRACKWAY_REGISTRY_ANONYMOUS_READ). */
export const ANONYMOUS = "anonymous";

/** How the registry decides who may do what. */
export interface AccessOptions {
  /** Reads without a key are allowed (for a closed network). */
  anonymousRead: boolean;
  /** Who may create a subject nobody owns. */
  newSubjects: NewSubjectPolicy;
}

/**
 * The registry's access control, shared by gRPC and REST: authenticates a request's key, checks its scopes and,
 * for a change to a subject, that its tenant owns the subject or holds a grant covering it (claiming a subject nobody
 * owns). Refused changes by an authenticated key are written to the audit log as ACCESS_DENIED.
 */
export class RegistryAccess {
  private readonly owners: OwnershipStore;

  constructor(
    private readonly pool: pg.Pool,
    private readonly keys: PrincipalLookup,
    private readonly options: AccessOptions,
    private readonly logger: Logger,
  ) {
    this.owners = new OwnershipStore(pool);
  }

  /** The principal of a request; UNAUTHENTICATED without a valid key. */
  async authenticate(c: Credentials): Promise<Principal> {
    const p = await authenticateKey(this.keys, c.key, this.logger);
    // Basic auth names the key id too: a secret sent under another key's id is refused, not silently accepted.
    if (c.keyId !== undefined && c.keyId !== p.keyId) throw apiKeyInvalid();
    return p;
  }

  /** Allows a read; returns the actor. Anonymous when allowed and no key was sent; otherwise the key needs `schemas:read` (or read-all/write/admin). */
  async read(c: Credentials): Promise<string> {
    return (await this.readView(c)).actor;
  }

  /**
   * Allows a read like `read` and says how much of the tenants' governance (restrictions, grants, audit) it may see:
   * `tenant` undefined for everything (`schemas:admin`, `schemas:read-all`, or an anonymous read where allowed: a
   * closed network), else the key's tenant, whose view is limited to what concerns it.
   */
  async readView(c: Credentials): Promise<{ actor: string; tenant: string | undefined }> {
    if (!c.key && this.options.anonymousRead) return { actor: ANONYMOUS, tenant: undefined };
    const p = await this.authenticate(c);
    if (!["schemas:write", "schemas:admin", "schemas:read-all"].some((s) => p.scopes.has(s as Scope))) requireScope(p, "schemas:read");
    const all = p.scopes.has("schemas:admin") || p.scopes.has("schemas:read-all");
    return { actor: actorOf(p), tenant: all ? undefined : p.tenant };
  }

  /**
   * Allows a change to `subject` (undefined: registry-wide settings) and returns the actor for the audit log;
   * UNAUTHENTICATED or PERMISSION_DENIED with a reason otherwise. `action` names the change in a refusal's audit entry.
   */
  async write(c: Credentials, subject: string | undefined, action: string): Promise<string> {
    const p = await this.authenticate(c);
    const actor = actorOf(p);
    const target = subject === undefined ? { grants: [] } : { subject, owner: await this.owners.ownerOf(subject), grants: await this.owners.grantsCovering(subject) };
    const decision = decideWrite(p, target, this.options.newSubjects);
    if (!decision.allowed) {
      await this.denied(subject, actor, action, decision.reason);
      throw accessDenied(decision.reason, decision.message);
    }
    if (decision.claim && subject !== undefined) {
      const owner = await this.owners.claim(subject, p.tenant, actor);
      // Another tenant claimed it between our read and our claim: it is theirs.
      if (owner !== p.tenant) {
        await this.denied(subject, actor, action, "NOT_SUBJECT_OWNER");
        throw accessDenied("NOT_SUBJECT_OWNER", `subject "${subject}" is owned by tenant "${owner}"; tenant "${p.tenant}" may not change it`);
      }
      // No audit entry of its own: the claim is kept with its actor in registry_subject_owners, and the change
      // that claimed it is audited as usual (a failed change leaves the name claimed but writes nothing else).
    }
    return actor;
  }

  /**
   * Transfers `subject` to `tenant` for a caller that may change the subject (its owner, a grant holder, or
   * schemas:admin); audited as SET_OWNER with the owners before and after. Returns the previous owner.
   */
  async setOwner(c: Credentials, subject: string, tenant: string): Promise<string | undefined> {
    if (!subject) throw argumentInvalid("a subject is required");
    if (!tenant) throw argumentInvalid("the new owning tenant is required");
    const before = await this.owners.ownerOf(subject);
    const actor = await this.write(c, subject, "SET_OWNER");
    return withTransaction(this.pool, async (tx) => {
      const previous = await new OwnershipStore(tx).setOwner(subject, tenant, actor);
      await appendAudit(tx, [{ subject, action: "SET_OWNER", actor, before: { tenant: before ?? null }, after: { tenant } }]);
      return previous;
    });
  }

  /**
   * Adds (GRANT) or removes (UNGRANT) a prefix grant for a caller with schemas:admin, or with schemas:write whose
   * tenant holds a grant on the prefix or a shorter prefix of it; audited. Returns whether anything changed.
   */
  async changeGrant(c: Credentials, grant: PrefixGrant | undefined, action: "GRANT" | "UNGRANT"): Promise<boolean> {
    if (!grant?.prefix || grant.prefix.length > MAX_PREFIX_LENGTH) throw argumentInvalid(`a prefix of 1 to ${MAX_PREFIX_LENGTH} characters is required`);
    if (!grant.tenant) throw argumentInvalid("the grant's tenant is required");
    const actor = await this.writePrefix(c, grant.prefix, `${action} ${grant.prefix} ${grant.tenant}`);
    return withTransaction(this.pool, async (tx) => {
      const store = new OwnershipStore(tx);
      const changed = action === "GRANT" ? await store.grant(grant.prefix, grant.tenant, actor) : await store.revoke(grant.prefix, grant.tenant);
      if (changed) await appendAudit(tx, [{ action, actor, after: { prefix: grant.prefix, tenant: grant.tenant } }]);
      return changed;
    });
  }

  /**
   * Allows a change to everything under `prefix` (a grant, a usage restriction) for schemas:admin, or schemas:write
   * whose tenant holds a grant on the prefix or a shorter prefix of it; returns the actor. Refusals are audited.
   */
  async writePrefix(c: Credentials, prefix: string, action: string): Promise<string> {
    const p = await this.authenticate(c);
    const actor = actorOf(p);
    const decision = decideGrant(p, prefix, await this.owners.grantsOf(p.tenant));
    if (!decision.allowed) {
      await this.denied(undefined, actor, action, decision.reason);
      throw accessDenied(decision.reason, decision.message);
    }
    return actor;
  }

  /** The ownership store (owners and grants), for admin tools. */
  get ownership(): OwnershipStore {
    return this.owners;
  }

  private async denied(subject: string | undefined, actor: string, action: string, reason: string): Promise<void> {
    this.logger.warn("registry change refused", { subject, actor, action, reason });
    await withTransaction(this.pool, (tx) => appendAudit(tx, [{ subject, action: "ACCESS_DENIED", actor, after: { action, reason } }])).catch((e: unknown) =>
      this.logger.warn("audit of a refusal failed", { err: e instanceof Error ? e.message : String(e) }),
    );
  }
}

const argumentInvalid = (message: string) => new TrackwayError(status.INVALID_ARGUMENT, "ARGUMENT_INVALID", message);
