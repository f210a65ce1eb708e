import { randomBytes } from "node:crypto";
import type { Pool } from "@trackway/db";
import type { HeaderAction, HeaderPolicy } from "../core/pii-header.js";
import { hmacHasher } from "../core/pii-properties.js";
import type { DataKey } from "@trackway/envelope";
import { unsealingHasher } from "../core/unsealing-hasher.js";
import { DeletionRequests } from "./deletion-requests.js";
import { TenantDataKeys } from "./tenant-data-keys.js";
import type { PrivacyLookup, TenantPrivacy } from "../core/tenant-privacy.js";

/** The header actions a policy may name. */
export const HEADER_ACTIONS: readonly HeaderAction[] = ["KEEP", "HASH", "TRUNCATE", "DROP"];

/** Policy keys → columns of `tenant_privacy` (migration 0016). */
const COLUMNS: Record<keyof HeaderPolicy, string> = { userId: "user_id", anonymousId: "anonymous_id", ip: "ip", userAgent: "user_agent", pageUrl: "page_url" };

interface Row { salt: Buffer; user_id: HeaderAction; anonymous_id: HeaderAction; ip: HeaderAction; user_agent: HeaderAction; page_url: HeaderAction }

const policyOf = (r: Row): HeaderPolicy => ({ userId: r.user_id, anonymousId: r.anonymous_id, ip: r.ip, userAgent: r.user_agent, pageUrl: r.page_url });

/** What the store knows of a tenant's privacy. */
export interface TenantSettings {
  salt: Buffer;
  header: HeaderPolicy;
  suppressed: Set<string>;
  suppressedAnonymous: Set<string>;
  suppressedDevices: Set<string>;
  dataKey: DataKey;
}

/** Tenants' privacy settings in PostgreSQL: the secret salt (made on first use) and the header policy. */
export class TenantPrivacyStore {
  constructor(private readonly pool: Pool) {}

  /** The tenant's row, created with a fresh 32-byte salt and KEEP everywhere when it has none. */
  private async row(tenant: string): Promise<Row> {
    await this.pool.query("INSERT INTO tenant_privacy (tenant, salt) VALUES ($1, $2) ON CONFLICT (tenant) DO NOTHING", [tenant, randomBytes(32)]);
    const { rows } = await this.pool.query<Row>("SELECT salt, user_id, anonymous_id, ip, user_agent, page_url FROM tenant_privacy WHERE tenant = $1", [tenant]);
    return rows[0]!;
  }

  /** The tenant's salt, header policy, suppressed ids and data key (salt and key never leave ingest and this store). */
  async settings(tenant: string): Promise<TenantSettings> {
    const r = await this.row(tenant);
    const ids = await new DeletionRequests(this.pool).suppressedIds(tenant);
    return { salt: r.salt, header: policyOf(r), suppressed: ids.userIds, suppressedAnonymous: ids.anonymousIds, suppressedDevices: ids.deviceIds, dataKey: await new TenantDataKeys(this.pool).current(tenant) };
  }

  /** The tenant's header policy. */
  async policy(tenant: string): Promise<HeaderPolicy> {
    return (await this.settings(tenant)).header;
  }

  /** Changes some of the tenant's header actions; returns the whole policy. */
  async setPolicy(tenant: string, change: Partial<HeaderPolicy>): Promise<HeaderPolicy> {
    await this.row(tenant);
    const entries = Object.entries(change).filter(([, v]) => v !== undefined) as [keyof HeaderPolicy, HeaderAction][];
    if (entries.length > 0) {
      const sets = entries.map(([k], i) => `${COLUMNS[k]} = $${i + 2}`).join(", ");
      await this.pool.query(`UPDATE tenant_privacy SET ${sets}, updated_at = now() WHERE tenant = $1`, [tenant, ...entries.map(([, v]) => v)]);
    }
    return this.policy(tenant);
  }
}

/** Ingest's lookup: the store behind a cache, so a policy change applies within `ttlMs`. */
export class CachedTenantPrivacy implements PrivacyLookup {
  private readonly cache = new Map<string, { at: number; value: Promise<TenantPrivacy> }>();

  constructor(private readonly store: Pick<TenantPrivacyStore, "settings">, private readonly ttlMs: number, private readonly now: () => number = Date.now) {}

  get(tenant: string): Promise<TenantPrivacy> {
    const hit = this.cache.get(tenant);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = this.store.settings(tenant).then((s) => ({
      hash: unsealingHasher(hmacHasher(s.salt), tenant, s.dataKey),
      header: s.header,
      suppressed: s.suppressed,
      suppressedAnonymous: s.suppressedAnonymous,
      suppressedDevices: s.suppressedDevices,
      dataKey: s.dataKey,
    }));
    // A failed read is not cached: the next batch asks again.
    value.catch(() => this.cache.delete(tenant));
    if (this.cache.size >= 10_000) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(tenant, { at: this.now(), value });
    return value;
  }
}

