import type { BatchSentInfo, ClientHooks, DropInfo, RetryInfo } from "@trackway/client";
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
