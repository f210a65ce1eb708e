import { hashApiKey, looksLikeApiKey } from "@trackway/ingest";

/** Looks an API key up by its hash (ingest's ApiKeyStore over the `api_keys` table does). */
export interface KeyLookup {
  findByHash(hash: string): Promise<{ tenant: string } | undefined>;
}

/**
 * The tenant of an API key, from ingest's key table, remembered for `ttlMs` (unknown keys too, so that a flood
 * of bad keys does not reach the database); a revoked key stops working within that time.
 */
export class TenantKeys {
  private readonly cache = new Map<string, { at: number; tenant: Promise<string | undefined> }>();

  constructor(
    private readonly lookup: KeyLookup,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** The key's tenant, or undefined when the key is malformed, unknown or revoked. */
  tenantOf(key: string): Promise<string | undefined> {
    if (!looksLikeApiKey(key)) return Promise.resolve(undefined);
    const hash = hashApiKey(key);
    const hit = this.cache.get(hash);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.tenant;
    const tenant = this.lookup.findByHash(hash).then((g) => g?.tenant);
    // A failed lookup (database down) is not remembered.
    tenant.catch(() => this.cache.get(hash)?.tenant === tenant && this.cache.delete(hash));
    this.cache.delete(hash);
    this.cache.set(hash, { at: Date.now(), tenant });
    if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    return tenant;
  }
}
