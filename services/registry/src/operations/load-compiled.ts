import { loadDescriptorSet, type CompiledSchema } from "../compiler/index.js";
import type { RegistryReads } from "../store/reads.js";
import type { VersionHead } from "../store/types.js";
import { CompiledCache } from "./compiled-cache.js";

/**
 * The loaded descriptors of some versions of one subject, in the order given: from the cache, and for the
 * misses one query for their descriptor sets. A history larger than the cache's budget is loaded without
 * caching it, so that one huge subject does not evict everything else only to be evicted by itself next time.
 */
export async function loadCompiled(
  reads: RegistryReads,
  cache: CompiledCache,
  subject: string,
  heads: readonly VersionHead[],
): Promise<{ version: number; schema: CompiledSchema }[]> {
  const keep = heads.reduce((n, h) => n + h.descriptorBytes, 0) <= cache.budgetBytes;
  const loaded = new Map<string, CompiledSchema>();
  const missing = heads.filter((h) => !cache.has(CompiledCache.key(h.schemaId, h.fileName)));
  if (missing.length > 0) {
    for (const v of await reads.versions(subject, missing.map((h) => h.version))) {
      const schema = loadDescriptorSet(v.descriptorSet, v.fileName, v.messageName);
      const key = CompiledCache.key(v.schemaId, v.fileName);
      loaded.set(key, schema);
      if (keep) cache.set(key, schema);
    }
  }
  return heads.map((h) => {
    const key = CompiledCache.key(h.schemaId, h.fileName);
    const schema = loaded.get(key) ?? cache.get(key);
    if (!schema) throw new Error(`descriptor of ${subject} version ${h.version} is missing`);
    return { version: h.version, schema };
  });
}
