import type { CompiledSchema } from "../compiler/index.js";

/**
 * Loaded descriptors of registered versions, least recently used evicted first, bounded by the total size of
 * their serialized descriptor sets (loaded, they take tens of times more memory). A registered version's
 * descriptor never changes, so entries are never stale; keyed by schema id and file name because the same
 * schema id may be registered under different file names.
 */
export class CompiledCache {
  private readonly map = new Map<string, CompiledSchema>();
  private used = 0;

  /** @param budgetBytes most serialized descriptor bytes kept loaded */
  constructor(readonly budgetBytes = 32 * 1024 * 1024) {}

  /** The cache key of a version. */
  static key(schemaId: number, fileName: string): string {
    return `${schemaId}\u0000${fileName}`;
  }

  /** The cached descriptor, refreshing its recency. */
  get(key: string): CompiledSchema | undefined {
    const v = this.map.get(key);
    if (v) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  /** Whether a key is cached, without refreshing it. */
  has(key: string): boolean {
    return this.map.has(key);
  }

  /** Adds a descriptor, evicting the least recently used ones beyond the budget; one larger than the budget is not kept. */
  set(key: string, value: CompiledSchema): void {
    const size = value.descriptorSet.length;
    if (size > this.budgetBytes) return;
    this.delete(key);
    this.map.set(key, value);
    this.used += size;
    for (const [k] of this.map) {
      if (this.used <= this.budgetBytes) break;
      this.delete(k);
    }
  }

  private delete(key: string): void {
    const v = this.map.get(key);
    if (!v) return;
    this.map.delete(key);
    this.used -= v.descriptorSet.length;
  }

  /** Empties the cache (as a restart would). */
  clear(): void {
    this.map.clear();
    this.used = 0;
  }

  /** Entries kept. */
  get size(): number {
    return this.map.size;
  }

  /** Serialized bytes of the entries kept. */
  get bytes(): number {
    return this.used;
  }
}
