import { listenTo, type Listener } from "@trackway/db";
import type { Logger } from "@trackway/runtime";

/** The channel migration 0023's trigger notifies with a key's hash whenever the key is issued, changed or revoked. */
export const API_KEY_CHANGES_CHANNEL = "trackway_api_keys_changed";

/** What a key cache must offer to follow the database. */
export interface ForgetfulKeys {
  forget(hash: string): void;
  clear(): void;
}

/**
 * Keeps `cache` in step with the database: a key changed anywhere (the KeyService, the CLI, plain SQL) is forgotten
 * at once, so a revoked key stops working within a notification's delay rather than the cache's TTL. Between a lost
 * connection and the next one notifications are lost, so each (re)connection forgets everything.
 */
export function followKeyChanges(databaseUrl: string, cache: ForgetfulKeys, logger: Logger): Listener {
  return listenTo(databaseUrl, API_KEY_CHANGES_CHANNEL, {
    onNotify: (hash) => (hash ? cache.forget(hash) : cache.clear()),
    onListening: () => cache.clear(),
    onTrouble: (message) => logger.warn(`key changes: ${message}; revocations wait for the key cache's TTL until it is back`),
    applicationName: "trackway-key-changes",
  });
}
