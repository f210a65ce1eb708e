import { status, type ServiceError } from "@grpc/grpc-js";
import type { DescMessage, FileRegistry } from "@trackway/envelope";
import { EnforcementMode, Lifecycle, type SchemaVersion } from "@trackway/proto/registry/v1";
import type { RegistryClient } from "./client.js";
import { loadSchema } from "./load-schema.js";

/** A registered schema version, loaded and ready to decode properties with. */
export interface CachedSchema {
  subject: string;
  version: number;
  schemaId: number;
  lifecycle: "ACTIVE" | "DEPRECATED" | "DISABLED";
  /** How ingest enforces the schema's protovalidate rules (the registry's answer; REJECT when it gave none). */
  enforcement: "REJECT" | "WARN" | "OFF";
  messageName: string;
  /** The properties message: `fromBinary(message, bytes)`. */
  message: DescMessage;
  /** Every file of the schema (imports included), for Any/extension lookups and toJson. */
  registry: FileRegistry;
}

/** Options of createSchemaCache. */
export interface SchemaCacheOptions {
  /** How long a NOT_FOUND answer is remembered (unknown event names must not hammer the registry). @default 5000 */
  negativeTtlMs?: number;
  /** Reconnect delay of the watch stream, doubled on each failure up to `maxRetryMs`. @default 250 */
  retryMs?: number;
  /** @default 5000 */
  maxRetryMs?: number;
  /** Called when the watch stream fails (it reconnects by itself); for logging. */
  onWatchError?: (err: Error) => void;
}

/** An in-process cache of registered schemas, kept fresh by the registry's Watch stream. */
export interface SchemaCache {
  /**
   * The schema of `subject` at `version`; version 0 is the newest usable version (ACTIVE, else DEPRECATED, else
   * DISABLED: check `lifecycle`). A miss asks the registry once; concurrent misses of one key share that request.
   * Rejects with the registry's ServiceError (NOT_FOUND for an unknown subject or version).
   */
  get(subject: string, version: number): Promise<CachedSchema>;
  /** The schema with a global id (lifecycle of the first version registered with it). */
  getById(schemaId: number): Promise<CachedSchema>;
  /** The cached entry without any I/O, or undefined. */
  peek(subject: string, version: number): CachedSchema | undefined;
  /** Resolves once the watch stream is established (entries fetched after it cannot miss a change). */
  ready(): Promise<void>;
  /** Counters for metrics. */
  readonly stats: { hits: number; misses: number; invalidations: number; watchEvents: number; reconnects: number };
  /** Stops the watch stream; cached entries stay readable. */
  close(): void;
}

type Entry = { value: CachedSchema } | { error: ServiceError; until: number };

const lifecycleName = (l: Lifecycle): CachedSchema["lifecycle"] =>
  l === Lifecycle.LIFECYCLE_DISABLED ? "DISABLED" : l === Lifecycle.LIFECYCLE_DEPRECATED ? "DEPRECATED" : "ACTIVE";

const enforcementName = (m: EnforcementMode): CachedSchema["enforcement"] =>
  m === EnforcementMode.ENFORCEMENT_MODE_WARN ? "WARN" : m === EnforcementMode.ENFORCEMENT_MODE_OFF ? "OFF" : "REJECT";

/** Turns a registry answer into a cache entry (loading the descriptor set once). */
function toCached(v: SchemaVersion): CachedSchema {
  const { registry, message } = loadSchema(v.descriptorSet, v.messageName);
  return { subject: v.subject, version: v.version, schemaId: v.schemaId, lifecycle: lifecycleName(v.lifecycle), enforcement: enforcementName(v.enforcement), messageName: v.messageName, message, registry };
}

/**
 * Creates a schema cache over a registry client and starts following the registry's Watch stream: every change
 * to a subject (new version, lifecycle, delete) drops that subject's entries, so the next get() refetches. While
 * the stream is down, cached entries keep being served and the stream resumes after the last change it saw.
 */
export function createSchemaCache(client: RegistryClient, options: SchemaCacheOptions = {}): SchemaCache {
  const negativeTtl = options.negativeTtlMs ?? 5000;
  const entries = new Map<string, Entry>();
  const bySubject = new Map<string, Set<string>>();
  const inflight = new Map<string, Promise<CachedSchema>>();
  // Bumped on every invalidation of a subject: a fetch that started before it must not store its (stale) answer.
  const generation = new Map<string, number>();
  const stats = { hits: 0, misses: 0, invalidations: 0, watchEvents: 0, reconnects: 0 };
  const abort = new AbortController();
  let markReady!: () => void;
  const readyPromise = new Promise<void>((r) => (markReady = r));

  const remember = (key: string, subject: string, entry: Entry) => {
    entries.set(key, entry);
    let keys = bySubject.get(subject);
    if (!keys) bySubject.set(subject, (keys = new Set()));
    keys.add(key);
  };

  const invalidate = (subject: string) => {
    generation.set(subject, (generation.get(subject) ?? 0) + 1);
    const keys = bySubject.get(subject);
    if (!keys) return;
    for (const k of keys) entries.delete(k);
    bySubject.delete(subject);
    stats.invalidations++;
  };

  const lookup = (key: string, subject: string, fetch: () => Promise<SchemaVersion>): Promise<CachedSchema> => {
    const hit = entries.get(key);
    if (hit) {
      if ("value" in hit) {
        stats.hits++;
        return Promise.resolve(hit.value);
      }
      if (hit.until > Date.now()) {
        stats.hits++;
        return Promise.reject(hit.error);
      }
      entries.delete(key);
    }
    const pending = inflight.get(key);
    if (pending) return pending;
    stats.misses++;
    const gen = generation.get(subject) ?? 0;
    const p = fetch()
      .then((v) => {
        const value = toCached(v);
        const fresh = (generation.get(subject) ?? 0) === gen;
        // Filed under the answer's subject, so a change to that subject drops id entries too.
        if (fresh) remember(key, value.subject, { value });
        return value;
      })
      .catch((e: ServiceError) => {
        if (e.code === status.NOT_FOUND && (generation.get(subject) ?? 0) === gen) remember(key, subject, { error: e, until: Date.now() + negativeTtl });
        throw e;
      })
      .finally(() => inflight.delete(key));
    inflight.set(key, p);
    return p;
  };

  void followWatch(client, abort.signal, options, stats, {
    onHead: () => markReady(),
    onChange: (subject) => {
      stats.watchEvents++;
      if (subject) invalidate(subject);
    },
    onGap: () => {
      // Resuming was impossible (no known sequence): anything cached may be stale.
      for (const s of [...bySubject.keys()]) invalidate(s);
    },
  });

  return {
    get: (subject, version) =>
      lookup(`${subject}@${version}`, subject, async () => (await client.getSchema({ subject, version, preferActive: version === 0 })).schema!),
    getById: (schemaId) => {
      const key = `#${schemaId}`;
      const hit = entries.get(key);
      const subject = hit && "value" in hit ? hit.value.subject : "";
      return lookup(key, subject, async () => (await client.getSchema({ schemaId })).schema!);
    },
    peek: (subject, version) => {
      const e = entries.get(`${subject}@${version}`);
      return e && "value" in e ? e.value : undefined;
    },
    ready: () => readyPromise,
    stats,
    close: () => abort.abort(),
  };
}

/** Follows Watch for ever (until aborted): HEAD first, then changes; reconnects after the last sequence seen. */
export async function followWatch(
  client: RegistryClient,
  signal: AbortSignal,
  options: SchemaCacheOptions,
  stats: { reconnects: number },
  on: { onHead: () => void; onChange: (subject: string, action: string) => void; onGap: () => void },
): Promise<void> {
  let last = 0;
  let delay = options.retryMs ?? 250;
  while (!signal.aborted) {
    try {
      for await (const m of client.watch({ afterSequence: last, sendHead: last === 0 }, { signal })) {
        delay = options.retryMs ?? 250;
        if (m.action === "HEAD") {
          last = m.sequence;
          on.onHead();
          continue;
        }
        last = m.sequence;
        on.onChange(m.subject, m.action);
      }
    } catch (e) {
      if (signal.aborted) return;
      options.onWatchError?.(e as Error);
    }
    if (signal.aborted) return;
    if (last === 0) on.onGap();
    stats.reconnects++;
    await new Promise((r) => setTimeout(r, delay).unref());
    delay = Math.min(delay * 2, options.maxRetryMs ?? 5000);
  }
}
