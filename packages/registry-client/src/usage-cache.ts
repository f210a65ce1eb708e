import type { RegistryClient } from "./client.js";
import { followWatch } from "./schema-cache.js";
import { usageAllowed, usageSnapshotOf, type UsageKind, type UsageSnapshot } from "./usage.js";

/** Options of createUsageCache. */
export interface UsageCacheOptions {
  /** Reloads this often even without a Watch change (a backstop for a lost stream). @default 60000 */
  refreshMs?: number;
  /** Reconnect delay of the watch stream. @default 250 */
  retryMs?: number;
  /** Called when the watch stream or a reload fails (both retry by themselves); for logging. */
  onError?: (err: Error) => void;
}

/** Send and query grants, held in memory and reloaded whenever the registry reports a change. */
export interface UsageCache {
  /** Resolves once a snapshot is loaded (the first call starts the load; a failed load is retried by the next call). */
  ready(): Promise<void>;
  /** Whether `tenant` may `use` `subject`: a map lookup after the first time. Call after ready(). */
  allowed(subject: string, use: UsageKind, tenant: string): boolean;
  /** Bumped on every reload, so that a holder of derived state (a tenant's typed views) knows to rebuild it. */
  readonly generation: number;
  close(): void;
}

/**
 * Creates a usage cache over a registry client: it follows the registry's Watch stream and reloads the whole
 * snapshot (ListUsageRestrictions, one query) after any change, so a restriction, a grant or an owner change
 * holds within one round trip of its commit. Decisions are memoised per tenant × use × subject until the next reload.
 */
export function createUsageCache(client: RegistryClient, options: UsageCacheOptions = {}): UsageCache {
  const abort = new AbortController();
  let snapshot: UsageSnapshot | undefined;
  let memo = new Map<string, boolean>();
  let generation = 0;
  let loading: Promise<void> | undefined;
  let again = false;
  let first: Promise<void> | undefined;

  const load = (): Promise<void> => {
    if (loading) {
      // A change arrived while loading: the answer in flight may predate it.
      again = true;
      return loading;
    }
    loading = (async () => {
      do {
        again = false;
        const next = usageSnapshotOf(await client.listUsageRestrictions({}));
        snapshot = next;
        memo = new Map();
        generation++;
      } while (again);
    })().finally(() => (loading = undefined));
    return loading;
  };
  const reload = () => void load().catch((e: unknown) => options.onError?.(e as Error));

  let watching = false;
  const timer = setInterval(reload, options.refreshMs ?? 60_000);
  timer.unref();

  return {
    ready() {
      if (!watching) {
        watching = true;
        // Loads after the stream's HEAD, so no change between the load and the stream start can be missed.
        void followWatch(client, abort.signal, { retryMs: options.retryMs, onWatchError: options.onError }, { reconnects: 0 }, {
          onHead: reload,
          onChange: reload,
          onGap: reload,
        });
      }
      if (snapshot) return Promise.resolve();
      first ??= load().catch((e: unknown) => {
        first = undefined;
        throw e;
      });
      return first;
    },
    allowed(subject, use, tenant) {
      if (!snapshot) throw new Error("usage cache not ready");
      const key = `${use}\u0000${tenant}\u0000${subject}`;
      let v = memo.get(key);
      if (v === undefined) memo.set(key, (v = usageAllowed(snapshot, subject, use, tenant)));
      return v;
    },
    get generation() {
      return generation;
    },
    close() {
      clearInterval(timer);
      abort.abort();
    },
  };
}
