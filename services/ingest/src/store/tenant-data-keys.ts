import { randomBytes, randomUUID } from "node:crypto";
import type { DataKey } from "@trackway/envelope";
import type { Pool, PoolClient } from "@trackway/db";

/** Tenants' data keys in PostgreSQL (migration 0021): one live AES-256 key per tenant, made on first use. */
export class TenantDataKeys {
  constructor(private readonly pool: Pool) {}

  /** The tenant's live key, created when it has none (the first rejected event after a shred makes a new one). */
  async current(tenant: string): Promise<DataKey> {
    await this.pool.query("INSERT INTO tenant_data_keys (tenant, key_id, key) VALUES ($1, $2, $3) ON CONFLICT (tenant) DO NOTHING", [tenant, randomUUID(), randomBytes(32)]);
    return (await this.find(tenant))!;
  }

  /** The tenant's live key, or undefined when it has none (never made, or shredded). */
  async find(tenant: string): Promise<DataKey | undefined> {
    const { rows } = await this.pool.query<{ key_id: string; key: Buffer }>("SELECT key_id, key FROM tenant_data_keys WHERE tenant = $1", [tenant]);
    return rows[0] ? { id: rows[0].key_id, key: rows[0].key } : undefined;
  }
}

/** Deletes the tenant's data key inside a transaction (a deletion request's): everything it sealed is shredded. */
export async function shredDataKey(c: Pick<PoolClient, "query">, tenant: string): Promise<string | undefined> {
  const { rows } = await c.query<{ key_id: string }>("DELETE FROM tenant_data_keys WHERE tenant = $1 RETURNING key_id", [tenant]);
  return rows[0]?.key_id;
}
