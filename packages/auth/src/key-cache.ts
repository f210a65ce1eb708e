import type { Principal, PrincipalLookup } from "./principal.js";

/** How long principals are remembered. */
export interface KeyCacheOptions {
  /** How long a found (or not found) key is trusted before asking the store again; bounds how late a revocation bites. */
  ttlMs: number;
  /** Most keys remembered; the oldest entry goes first, so random keys cannot grow memory without bound. */
  maxEntries: number;
  /** The clock, ms. @default Date.now */
  now?: () => number;
}

interface Entry {
  at: number;
  grant: Promise<Principal | undefined>;
}

/**
 * A PrincipalLookup that remembers answers for `ttlMs`, unknown keys included (so a flood of bad keys does
 * not reach the database), and shares one store request between concurrent lookups of the same key.
 */
export class CachedApiKeys implements PrincipalLookup {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(
    private readonly store: PrincipalLookup,
    private readonly options: KeyCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  findByHash(hash: string): Promise<Principal | undefined> {
    const now = this.now();
    const hit = this.entries.get(hash);
    if (hit && now - hit.at < this.options.ttlMs) return hit.grant;
    if (hit) this.entries.delete(hash);
    const grant = this.store.findByHash(hash);
    // A failed lookup (database down) is not remembered: the next call asks again.
    grant.catch(() => this.entries.get(hash)?.grant === grant && this.entries.delete(hash));
    this.entries.set(hash, { at: now, grant });
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return grant;
  }

  /** Forgets one key by its hash (it was issued, changed or revoked), so that its next lookup asks the store. */
  forget(hash: string): void {
    this.entries.delete(hash);
  }

  /** Forgets every remembered key, so that the next lookups ask the store (after a revocation, say). */
  clear(): void {
    this.entries.clear();
  }
}
