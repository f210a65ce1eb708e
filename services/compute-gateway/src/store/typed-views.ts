import type { ChannelCredentials } from "@grpc/grpc-js";
import { createRegistryClient, createSchemaCache } from "@trackway/registry-client";
import type { Logger } from "@trackway/runtime";
import { dwdViewName, dwdViewSql } from "@trackway/warehouse";
import type { TypedView, TypedViewSource } from "./tenant-sessions.js";

// The subject list is asked for at most this often; schema changes arrive through the cache's Watch stream.
const LIST_TTL_MS = 30_000;

/** Typed per-event views from the registry: one per event subject (the envelope's excluded), newest usable version. */
export function registryTypedViews(
  address: string,
  envelopeSubject: string,
  logger: Logger,
  apiKey?: string,
  credentials?: ChannelCredentials,
): TypedViewSource & { close(): void } {
  const client = createRegistryClient(address, { timeoutMs: 5000, apiKey, credentials });
  const cache = createSchemaCache(client, { onWatchError: (e) => logger.debug("registry watch failed; reconnecting", { err: e.message }) });
  let listed: { at: number; views: Promise<TypedView[]> } | undefined;
  const load = async (): Promise<TypedView[]> => {
    const { subjects } = await client.listSubjects({});
    const out: TypedView[] = [];
    for (const s of subjects) {
      if (s.name === envelopeSubject) continue;
      const schema = await cache.get(s.name, 0).catch(() => undefined);
      if (!schema || schema.lifecycle === "DISABLED") continue;
      out.push({ table: { name: dwdViewName(s.name), layer: "dwd", eventName: s.name }, sql: dwdViewSql(s.name, schema.message) });
    }
    return out;
  };
  return {
    views() {
      if (!listed || Date.now() - listed.at > LIST_TTL_MS) {
        const views = load();
        listed = { at: Date.now(), views };
        views.catch(() => listed?.views === views && (listed = undefined));
      }
      return listed.views;
    },
    close() {
      cache.close();
      client.close();
    },
  };
}
