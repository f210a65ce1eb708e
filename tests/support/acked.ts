import type { BatchSentInfo, ClientHooks, ClientOptions, DropInfo, RetryInfo, TrackwayClient } from "@trackway/client";
import { createProperties, type DescMessage } from "@trackway/envelope";
import { sleep } from "./sleep.js";
import { readTopic } from "./kafka.js";

/** Tallies what a client was told: acknowledged event ids, retries by reason, drops. */
export class AckLog {
  readonly acked = new Set<string>();
  readonly retries = new Map<string, number>();
  readonly drops: DropInfo[] = [];
  batches = 0;

  readonly hooks: ClientHooks = {
    onBatchSent: (b: BatchSentInfo) => {
      this.batches += 1;
      const rejected = new Set(b.result.rejections.map((r) => r.eventId));
      for (const id of b.eventIds) if (!rejected.has(id)) this.acked.add(id);
    },
    onRetry: (r: RetryInfo) => {
      const k = r.reason ?? String(r.code);
      this.retries.set(k, (this.retries.get(k) ?? 0) + 1);
    },
    onDrop: (d: DropInfo) => this.drops.push(d),
  };
}

/** Reads the topic until every acknowledged id is there (or times out), and counts ids seen more than once. */
export async function auditTopic(brokers: string[], topic: string, acked: Set<string>, timeoutMs = 120_000) {
  const seen = new Map<string, number>();
  let counted = 0;
  const records = await readTopic(
    brokers,
    topic,
    (r) => {
      for (; counted < r.length; counted++) {
        const id = r[counted]!.value.event_id as string;
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
      return [...acked].every((id) => seen.has(id));
    },
    timeoutMs,
  ).catch((e: unknown) => {
    const missing = [...acked].filter((id) => !seen.has(id));
    throw new Error(`${missing.length} acknowledged events are missing from ${topic} (e.g. ${missing.slice(0, 3).join(", ")}): ${String(e)}`);
  });
  const duplicates = [...seen.values()].filter((n) => n > 1).reduce((a, n) => a + n - 1, 0);
  return { records: records.length, distinct: seen.size, duplicates, missing: [...acked].filter((id) => !seen.has(id)) };
}

/** A send loop of `shop.order_completed` events; `stop()` ends it and says how many events it tracked. */
export interface SendLoop {
  /** Events tracked so far. */
  tracked(): number;
  stop(): Promise<number>;
}

/**
 * Tracks 20 `shop.order_completed` events (ids `o-0`, `o-1`, …) every 10 ms through `client` until stopped: the load
 * the durability tests keep up while they kill something.
 */
export function startSendLoop(client: TrackwayClient, order: DescMessage): SendLoop {
  let tracked = 0;
  let sending = true;
  const loop = (async () => {
    while (sending) {
      for (let i = 0; i < 20; i++) client.track("shop.order_completed", createProperties(order, { orderId: `o-${tracked++}` }));
      await sleep(10);
    }
  })();
  return {
    tracked: () => tracked,
    stop: async () => {
      sending = false;
      await loop;
      return tracked;
    },
  };
}

/** Client options of the durability tests: one user, small batches, a deep queue and retries that outlast an outage. */
export function durableClientOptions(address: string, apiKey: string, order: DescMessage, log: AckLog, maxBackoffMs: number): ClientOptions {
  return {
    address,
    apiKey,
    schemas: [order],
    versions: { "shop.order_completed": 1 },
    identity: { userId: "u-1" },
    maxBatchEvents: 100,
    flushIntervalMs: 20,
    maxQueueEvents: 200_000,
    backoff: { initialBackoffMs: 100, maxBackoffMs, maxAttempts: 1000 },
    hooks: log.hooks,
  };
}
