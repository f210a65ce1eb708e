import { listenTo, type Listener } from "@trackway/db";
import type { Logger } from "@trackway/runtime";
import { auditAfter, auditHead } from "./audit.js";
import type { AuditRecord, Queryable } from "./types.js";

/** Options of the watch hub. */
export interface WatchHubOptions {
  /** Polls the audit log this often even without a notification (covers a lost LISTEN connection). @default 2000 */
  pollMs?: number;
}

/**
 * A live subscription: entries arrive in id order. It ends (cleanly) on `close()`, when the hub stops, or when
 * the subscriber falls more than 10,000 entries behind; a watcher then resumes from its last sequence.
 */
export interface WatchSubscription extends AsyncIterable<AuditRecord> {
  close(): void;
}

const CHANNEL = "trackway_registry_audit";
/** Marks the end of a subscription, with why (for logs). */
type End = { end: string };
// A watcher this far behind is cut off (it reconnects and replays from its last sequence) instead of growing memory.
const MAX_BUFFERED = 10_000;

/**
 * Follows the audit log for every Watch stream of the process with one LISTEN connection: a notification
 * (sent by a trigger when an audit row commits) or the poll timer makes it read the entries after the last
 * one it saw and hand them to every subscriber, in id order.
 */
export class WatchHub {
  private last = 0;
  private listener: Listener | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pumping: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly subscribers = new Set<(e: AuditRecord | End) => void>();

  constructor(
    private readonly db: Queryable,
    private readonly databaseUrl: string,
    private readonly logger: Logger,
    private readonly options: WatchHubOptions = {},
  ) {}

  /** Starts listening from the current head of the audit log. */
  async start(): Promise<void> {
    this.last = await auditHead(this.db);
    this.listener = listenTo(this.databaseUrl, CHANNEL, {
      onNotify: () => this.wake(),
      onListening: () => this.wake(), // catch up on anything committed while we were not listening
      onTrouble: (message) => this.logger.warn(`watch listener: ${message}; polling until it is back`),
      applicationName: "trackway-registry-watch",
    });
    this.timer = setInterval(() => this.wake(), this.options.pollMs ?? 2000);
    this.timer.unref();
  }

  /** Stops listening and ends every subscription. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.listener?.close();
    for (const s of this.subscribers) s({ end: "registry is shutting down" });
    this.subscribers.clear();
  }

  /** Subscribes to entries read from now on (the caller replays older ones itself and skips duplicates by id). */
  subscribe(): WatchSubscription {
    const queue: (AuditRecord | End)[] = [];
    let notify: (() => void) | undefined;
    const push = (e: AuditRecord | End) => {
      queue.push(queue.length >= MAX_BUFFERED ? { end: "watcher fell too far behind" } : e);
      notify?.();
    };
    this.subscribers.add(push);
    const close = () => {
      this.subscribers.delete(push);
      queue.push({ end: "closed" });
      notify?.();
    };
    const iterator = async function* (): AsyncGenerator<AuditRecord> {
      try {
        for (;;) {
          const next = queue.shift();
          if (next === undefined) {
            await new Promise<void>((r) => (notify = r));
            notify = undefined;
            continue;
          }
          // The stream ends cleanly (status OK) and the watcher resumes from its last sequence; an error status
          // would say why, but runtime's serverStreaming cannot deliver one on a stream yet.
          if ("end" in next) return;
          yield next;
        }
      } finally {
        close();
      }
    };
    return { [Symbol.asyncIterator]: iterator, close };
  }

  /** Reads new entries; calls that arrive while a read runs coalesce into one more read. */
  private wake(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump()
      .catch((e: unknown) => this.logger.warn("watch cannot read the audit log", { err: (e as Error).message }))
      .finally(() => {
        this.pumping = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async pump(): Promise<void> {
    for (;;) {
      const entries = await auditAfter(this.db, this.last, 500);
      for (const e of entries) {
        this.last = e.id;
        for (const s of this.subscribers) s(e);
      }
      if (entries.length < 500) return;
    }
  }
}
