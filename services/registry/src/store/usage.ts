import type { ListUsageRestrictionsResponse } from "@trackway/proto/registry/v1";
import { EventUse } from "@trackway/proto/registry/v1";
import type { Queryable } from "./types.js";

/** A restriction's key: a subject or a prefix, and the use (migrations/0018). */
export interface UsageTarget {
  target: string;
  isPrefix: boolean;
  use: "send" | "query";
}

const useOf = (u: string) => (u === "query" ? EventUse.EVENT_USE_QUERY : EventUse.EVENT_USE_SEND);

/** Send and query restrictions in PostgreSQL. */
export class UsageStore {
  constructor(private readonly db: Queryable) {}

  /** The tenants of a restriction, if it exists. */
  async tenantsOf(t: UsageTarget): Promise<string[] | undefined> {
    const { rows } = await this.db.query<{ tenants: string[] }>(
      "SELECT tenants FROM registry_usage_restrictions WHERE target = $1 AND is_prefix = $2 AND use = $3",
      [t.target, t.isPrefix, t.use],
    );
    return rows[0]?.tenants;
  }

  /** Sets (or replaces) a restriction. */
  async set(t: UsageTarget, tenants: readonly string[], actor: string): Promise<void> {
    await this.db.query(
      `INSERT INTO registry_usage_restrictions (target, is_prefix, use, tenants, created_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (target, is_prefix, use) DO UPDATE SET tenants = EXCLUDED.tenants, created_at = now(), created_by = EXCLUDED.created_by`,
      [t.target, t.isPrefix, t.use, [...tenants], actor],
    );
  }

  /** Removes a restriction; whether there was one. */
  async clear(t: UsageTarget): Promise<boolean> {
    const r = await this.db.query("DELETE FROM registry_usage_restrictions WHERE target = $1 AND is_prefix = $2 AND use = $3", [t.target, t.isPrefix, t.use]);
    return (r.rowCount ?? 0) > 0;
  }

  /** Every restriction, the owners of the subjects they cover, and every prefix grant: what deciding a use needs. */
  async snapshot(): Promise<ListUsageRestrictionsResponse> {
    const restrictions = await this.db.query<{ target: string; is_prefix: boolean; use: string; tenants: string[] }>(
      "SELECT target, is_prefix, use, tenants FROM registry_usage_restrictions ORDER BY target, is_prefix, use",
    );
    const owners = await this.db.query<{ subject: string; tenant: string }>(
      `SELECT o.subject, o.tenant FROM registry_subject_owners o WHERE EXISTS (
         SELECT 1 FROM registry_usage_restrictions r
         WHERE (r.is_prefix AND left(o.subject, length(r.target)) = r.target) OR (NOT r.is_prefix AND r.target = o.subject))
       ORDER BY o.subject`,
    );
    const grants = await this.db.query<{ prefix: string; tenant: string }>("SELECT prefix, tenant FROM registry_grants ORDER BY prefix, tenant");
    return {
      restrictions: restrictions.rows.map((r) => ({
        subject: r.is_prefix ? "" : r.target,
        prefix: r.is_prefix ? r.target : "",
        use: useOf(r.use),
        tenants: r.tenants,
      })),
      owners: owners.rows,
      grants: grants.rows,
      tenant: "",
    };
  }
}
