import type { ChannelCredentials } from "@grpc/grpc-js";
import { assignViewNames } from "@trackway/envelope";
import { createRegistryClient, createSchemaCache, createUsageCache } from "@trackway/registry-client";
import type { Logger } from "@trackway/runtime";
import { dwdViewName, dwdViewSql } from "@trackway/warehouse";
import type { TypedView, TypedViewSource } from "./tenant-sessions.js";

// The subject list is asked for at most this often; schema changes arrive through the cache's Watch stream.
const LIST_TTL_MS = 30_000;

/**
 * Typed per-event views from the registry: one per event subject (the envelope's excluded), newest usable version,
 * and of those only the subjects the tenant may query (the registry's query restrictions, reloaded on every Watch
 * change): a tenant never gets a view, a SHOW TABLES line or a DESCRIBE of a subject it may not read.
 */
export function registryTypedViews(
  address: string,
  envelopeSubject: string,
  logger: Logger,
  apiKey?: string,
  credentials?: ChannelCredentials,
): TypedViewSource & { close(): void } {
  const client = createRegistryClient(address, { timeoutMs: 5000, apiKey, credentials });
  const cache = createSchemaCache(client, { onWatchError: (e) => logger.debug("registry watch failed; reconnecting", { err: e.message }) });
  const usage = createUsageCache(client, { onError: (e) => logger.debug("query grants not reloaded; retrying", { err: e.message }) });
  let listed: { at: number; views: Promise<TypedView[]> } | undefined;
  const load = async (): Promise<TypedView[]> => {
    const { subjects } = await client.listSubjects({});
    const candidates = subjects.filter((s) => s.name !== envelopeSubject).map((s) => ({ subject: s.name, createdAt: s.createdAt }));
    const { owners, collisions } = assignViewNames(candidates, dwdViewName);
    for (const c of collisions) logger.warn("typed view refused", { reason: c.reason, subject: c.subject, view: c.view, heldBy: c.heldBy });
    const out: TypedView[] = [];
    for (const [view, { subject }] of owners) {
      const schema = await cache.get(subject, 0).catch(() => undefined);
      if (!schema || schema.lifecycle === "DISABLED") continue;
      out.push({ table: { name: view, layer: "dwd", eventName: subject }, sql: dwdViewSql(subject, schema.message) });
    }
    return out;
  };
  const all = () => {
    if (!listed || Date.now() - listed.at > LIST_TTL_MS) {
      const views = load();
      listed = { at: Date.now(), views };
      views.catch(() => listed?.views === views && (listed = undefined));
    }
    return listed.views;
  };
  return {
    async views(tenant) {
      const [views] = await Promise.all([all(), usage.ready()]);
      return views.filter((v) => usage.allowed(v.table.eventName!, "query", tenant));
    },
    generation: () => usage.generation,
    close() {
      usage.close();
      cache.close();
      client.close();
    },
  };
}
