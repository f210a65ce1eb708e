import { loadDescriptorSet, type CompiledSchema } from "../compiler/index.js";
import type { RegistryReads } from "../store/reads.js";
import type { VersionHead } from "../store/types.js";
import { CompiledCache } from "./compiled-cache.js";

/**
 * The loaded descriptors of some versions of one subject, in the order given: from the cache, and for the
 * misses one query for their descriptor sets. Keeps FULL_TRANSITIVE at version 1000 cheap on every registration.
 */
export async function loadCompiled(
  reads: RegistryReads,
  cache: CompiledCache,
  subject: string,
  heads: readonly VersionHead[],
): Promise<{ version: number; schema: CompiledSchema }[]> {
  const missing = heads.filter((h) => !cache.get(CompiledCache.key(h.schemaId, h.fileName)));
  if (missing.length > 0) {
    for (const v of await reads.versions(subject, missing.map((h) => h.version))) {
      cache.set(CompiledCache.key(v.schemaId, v.fileName), loadDescriptorSet(v.descriptorSet, v.fileName, v.messageName));
    }
  }
  return heads.map((h) => {
    const schema = cache.get(CompiledCache.key(h.schemaId, h.fileName));
    if (!schema) throw new Error(`descriptor of ${subject} version ${h.version} is missing`);
    return { version: h.version, schema };
  });
}
