import { status, type ChannelCredentials, type ServiceError } from "@grpc/grpc-js";
import { createRegistryClient, createSchemaCache, createUsageCache, type CachedSchema, type SchemaCache } from "@trackway/registry-client";
import type { Logger } from "@trackway/runtime";
import type { Registry } from "prom-client";
import { Counter } from "prom-client";
import type { ResolvedSchema, SchemaLifecycle, SchemaLookup } from "../core/schema-lookup.js";
import type { SendGrants } from "../core/usage-grants.js";
import { registryUnavailable } from "../errors.js";
import { sendGrantsOf } from "./send-grants.js";

const LIFECYCLE: Record<CachedSchema["lifecycle"], SchemaLifecycle> = { ACTIVE: "active", DEPRECATED: "deprecated", DISABLED: "disabled" };

const resolved = (s: CachedSchema): ResolvedSchema => ({ schemaId: s.schemaId, version: s.version, lifecycle: LIFECYCLE[s.lifecycle], enforcement: s.enforcement, message: s.message, registry: s.registry });

/** A SchemaLookup over the registry's schema cache, which the registry's Watch stream keeps fresh. */
export interface RegistrySchemas extends SchemaLookup {
  /** Which tenants may send which event types, from the same registry. */
  sendGrants: SendGrants;
  close(): Promise<void>;
}

/**
 * Adapts `@trackway/registry-client`'s schema cache (a miss asks the registry once, concurrent misses share
 * the request, NOT_FOUND is remembered briefly, Watch invalidates) to ingest's SchemaLookup: NOT_FOUND
 * becomes `undefined`, any other failure UNAVAILABLE (REGISTRY_UNAVAILABLE) so the client retries the batch.
 */
export function schemaLookupOf(cache: SchemaCache): SchemaLookup {
  const get = async (subject: string, version: number): Promise<ResolvedSchema | undefined> => {
    try {
      return resolved(await cache.get(subject, version));
    } catch (e) {
      if ((e as ServiceError).code === status.NOT_FOUND) return undefined;
      throw registryUnavailable(e);
    }
  };
  return { get, hasSubject: async (subject) => (await get(subject, 0)) !== undefined };
}

/** Connects to the registry at `address` (with `apiKey`, which needs `schemas:read`) and exposes its cache's hit and miss counts on `metrics`. */
export function connectRegistrySchemas(address: string, metrics: Registry, logger: Logger, apiKey?: string, credentials?: ChannelCredentials): RegistrySchemas {
  const client = createRegistryClient(address, { timeoutMs: 5000, apiKey, credentials });
  const cache = createSchemaCache(client, { onWatchError: (e) => logger.warn("registry watch failed; reconnecting", { err: e.message }) });
  const usage = createUsageCache(client, { onError: (e) => logger.warn("send grants not reloaded; retrying", { err: e.message }) });
  // Read from the cache's own counters at scrape time. Hit rate = hit / (hit + miss).
  new Counter({
    name: "trackway_ingest_schema_cache_lookups_total",
    help: "Schema cache lookups: hit (answered from memory, remembered NOT_FOUND included) or miss (asked the registry).",
    labelNames: ["result"],
    registers: [metrics],
    collect() {
      this.reset();
      this.inc({ result: "hit" }, cache.stats.hits);
      this.inc({ result: "miss" }, cache.stats.misses);
    },
  });
  new Counter({
    name: "trackway_ingest_schema_cache_invalidations_total",
    help: "Subjects dropped from the schema cache after a registry change (Watch).",
    registers: [metrics],
    collect() {
      this.reset();
      this.inc(cache.stats.invalidations);
    },
  });
  return {
    ...schemaLookupOf(cache),
    sendGrants: sendGrantsOf(usage),
    close: async () => {
      usage.close();
      cache.close();
      client.close();
    },
  };
}
