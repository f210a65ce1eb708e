import type { CompiledSchema } from "../compiler/index.js";

/**
 * Loaded descriptors of registered versions, least recently used evicted first. A registered version's
 * descriptor never changes, so entries are never stale; keyed by schema id and file name because the same
 * schema id may be registered under different file names.
 */
export class CompiledCache {
  private readonly map = new Map<string, CompiledSchema>();

  constructor(private readonly capacity = 20_000) {}

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

  /** Adds a descriptor, evicting the least recently used beyond capacity. */
  set(key: string, value: CompiledSchema): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
  }

  get size(): number {
    return this.map.size;
  }
}
