import type { PrefixGrant } from "../core/ownership.js";
import type { GivenGrant } from "../core/visibility.js";
import type { Queryable } from "./types.js";

/** Subject owners and prefix grants in PostgreSQL (migrations/0008). */
export class OwnershipStore {
  constructor(private readonly db: Queryable) {}

  /** The tenant owning `subject`, if any. */
  async ownerOf(subject: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ tenant: string }>("SELECT tenant FROM registry_subject_owners WHERE subject = $1", [subject]);
    return rows[0]?.tenant;
  }

  /** The grants whose prefix `subject` starts with. */
  async grantsCovering(subject: string): Promise<PrefixGrant[]> {
    const { rows } = await this.db.query<PrefixGrant>(
      "SELECT prefix, tenant FROM registry_grants WHERE left($1, length(prefix)) = prefix ORDER BY prefix, tenant",
      [subject],
    );
    return rows;
  }

  /** Claims an unowned subject for `tenant`; returns the owner afterwards (another tenant when it claimed first). */
  async claim(subject: string, tenant: string, actor: string): Promise<string> {
    const { rows } = await this.db.query<{ tenant: string }>(
      "INSERT INTO registry_subject_owners (subject, tenant, claimed_by) VALUES ($1, $2, $3) ON CONFLICT (subject) DO NOTHING RETURNING tenant",
      [subject, tenant, actor],
    );
    // Nothing inserted: someone owns it already (a concurrent claim included, committed by now); read who, in a new snapshot.
    return rows[0]?.tenant ?? (await this.ownerOf(subject))!;
  }

  /** Makes `tenant` the owner of `subject` (an admin's transfer); returns the previous owner. */
  async setOwner(subject: string, tenant: string, actor: string): Promise<string | undefined> {
    const before = await this.ownerOf(subject);
    await this.db.query(
      `INSERT INTO registry_subject_owners (subject, tenant, claimed_by) VALUES ($1, $2, $3)
       ON CONFLICT (subject) DO UPDATE SET tenant = EXCLUDED.tenant, claimed_at = now(), claimed_by = EXCLUDED.claimed_by`,
      [subject, tenant, actor],
    );
    return before;
  }

  /** Grants `tenant` the subjects under `prefix` (idempotent); whether the grant is new. */
  async grant(prefix: string, tenant: string, actor: string): Promise<boolean> {
    const r = await this.db.query("INSERT INTO registry_grants (prefix, tenant, created_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [prefix, tenant, actor]);
    return (r.rowCount ?? 0) > 0;
  }

  /** Removes a grant; whether there was one. */
  async revoke(prefix: string, tenant: string): Promise<boolean> {
    const r = await this.db.query("DELETE FROM registry_grants WHERE prefix = $1 AND tenant = $2", [prefix, tenant]);
    return (r.rowCount ?? 0) > 0;
  }

  /** The grants `tenant` holds. */
  async grantsOf(tenant: string): Promise<PrefixGrant[]> {
    const { rows } = await this.db.query<PrefixGrant>("SELECT prefix, tenant FROM registry_grants WHERE tenant = $1 ORDER BY prefix", [tenant]);
    return rows;
  }

  /** Every grant, by prefix. */
  async grants(): Promise<PrefixGrant[]> {
    const { rows } = await this.db.query<PrefixGrant>("SELECT prefix, tenant FROM registry_grants ORDER BY prefix, tenant");
    return rows;
  }

  /** Every grant with the actor who gave it, by prefix. */
  async givenGrants(): Promise<GivenGrant[]> {
    const { rows } = await this.db.query<GivenGrant>('SELECT prefix, tenant, created_by AS "createdBy" FROM registry_grants ORDER BY prefix, tenant');
    return rows;
  }
}
