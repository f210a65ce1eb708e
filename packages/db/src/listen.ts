import pg from "pg";

/** What listenTo needs besides the channel. */
export interface ListenOptions {
  /** Called on each notification of the channel, with its payload. */
  onNotify: (payload: string | undefined) => void;
  /**
   * Called each time the listener is (re)connected: notifications sent while it was not listening are lost, so
   * whatever they would have refreshed should be refreshed now.
   */
  onListening?: () => void;
  /** Told when the connection is lost or cannot be made (the listener retries by itself). */
  onTrouble?: (message: string) => void;
  /** Name shown in `pg_stat_activity`. */
  applicationName?: string;
  /** Wait between reconnection attempts. @default 1000 */
  retryMs?: number;
}

/** A running listener; `close()` ends it for good. */
export interface Listener {
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * LISTENs on `channel` with a connection of its own (not a pool's: a pooled connection would be taken for good),
 * reconnecting after any loss. Callers keep a fallback (a TTL, a poll) for the gaps between connections.
 */
export function listenTo(databaseUrl: string, channel: string, o: ListenOptions): Listener {
  if (!CHANNEL.test(channel)) throw new Error(`not a channel name: ${JSON.stringify(channel)}`);
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const again = () => {
    if (!closed) retry = setTimeout(() => void connect(), o.retryMs ?? 1000).unref();
  };
  const connect = async () => {
    const c = new pg.Client({ connectionString: databaseUrl, application_name: o.applicationName ?? "trackway-listen" });
    client = c;
    c.on("notification", (n) => {
      if (n.channel === channel) o.onNotify(n.payload);
    });
    c.on("error", (err) => {
      o.onTrouble?.(`lost the LISTEN connection: ${err.message}`);
      void c.end().catch(() => {});
      if (client === c) client = undefined;
      again();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      if (closed) return void (await c.end().catch(() => {}));
      o.onListening?.();
    } catch (e) {
      await c.end().catch(() => {});
      if (client === c) client = undefined;
      o.onTrouble?.(`cannot LISTEN: ${(e as Error).message}`);
      again();
    }
  };
  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
