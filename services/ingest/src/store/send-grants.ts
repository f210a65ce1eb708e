import type { UsageCache } from "@trackway/registry-client";
import type { SendGrants } from "../core/usage-grants.js";
import { registryUnavailable } from "../errors.js";

/**
 * Ingest's SendGrants over the registry client's usage cache: the snapshot of restrictions is reloaded on every
 * registry change reported by Watch (and every minute as a backstop), so a decision per event is a map lookup. A
 * registry that cannot be asked before the first load makes the batch UNAVAILABLE (REGISTRY_UNAVAILABLE): retried.
 */
export function sendGrantsOf(cache: UsageCache): SendGrants {
  return {
    ready: () => cache.ready().catch((e: unknown) => Promise.reject(registryUnavailable(e))),
    maySend: (eventName, tenant) => cache.allowed(eventName, "send", tenant),
  };
}
