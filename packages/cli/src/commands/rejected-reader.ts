import { randomUUID } from "node:crypto";
import type { RejectedEventRecord } from "@trackway/ingest";
import { createKafka, type KafkaSecurity } from "@trackway/kafka";
import { silentLogger } from "@trackway/runtime";

/** How far a read got: records read of those between its start and the topic's end when it began. */
export interface ReadProgress {
  read: number;
  total: number;
}

/** Options of readRejected. */
export interface ReadRejectedOptions {
  brokers: string[];
  /** SASL/TLS. @default PLAINTEXT */
  security?: KafkaSecurity;
  topic: string;
  /**
   * Resume from (and record progress in) this named checkpoint, a consumer group `trackway-replay-<name>`: a run
   * reads what came after the previous run's last processed chunk. Unset: the whole topic, with a throw-away group.
   */
  checkpoint?: string;
  /** Handles one chunk (a fetched batch of one partition); the checkpoint moves past it only once this resolves. */
  onChunk(records: RejectedEventRecord[], progress: ReadProgress): Promise<void>;
  /** Give up after this long without reaching the end. @default 600000 */
  timeoutMs?: number;
}

/** The consumer group a named checkpoint lives in. */
export const checkpointGroup = (name: string) => `trackway-replay-${name}`;

/**
 * Reads the rejected topic in chunks, from the checkpoint (or its start) to its end as of the call, never holding
 * more than one fetched batch in memory. With a checkpoint each chunk's offsets are committed after `onChunk`, so an
 * interrupted run loses no record and a second run re-reads none it finished. Resolves with the final progress.
 */
export async function readRejected(o: ReadRejectedOptions): Promise<ReadProgress> {
  const kafka = createKafka({ brokers: o.brokers, clientId: "trackway-cli", requestTimeoutMs: 10_000, security: o.security }, silentLogger);
  const groupId = o.checkpoint ? checkpointGroup(o.checkpoint) : `trackway-cli-${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(o.topic);
    const committed = o.checkpoint ? ((await admin.fetchOffsets({ groupId, topics: [o.topic] }))[0]?.partitions ?? []) : [];
    const startOf = (p: { partition: number; low: string }) => {
      const c = Number(committed.find((x) => x.partition === p.partition)?.offset ?? -1);
      return c >= 0 ? Math.max(c, Number(p.low)) : Number(p.low);
    };
    // Partitions with something left to read, and where their end is as of now.
    const ends = new Map(offsets.filter((p) => Number(p.high) > startOf(p)).map((p) => [p.partition, Number(p.high)]));
    const progress: ReadProgress = { read: 0, total: offsets.reduce((n, p) => n + Math.max(0, Number(p.high) - startOf(p)), 0) };
    if (ends.size === 0) return progress;
    const consumer = kafka.consumer({ groupId, maxBytesPerPartition: 1024 * 1024 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: o.topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timeoutMs = o.timeoutMs ?? 600_000;
        const timer = setTimeout(() => reject(new Error(`reading ${o.topic} took over ${timeoutMs / 1000} s (${progress.read}/${progress.total} records)`)), timeoutMs);
        consumer
          .run({
            autoCommit: false,
            eachBatchAutoResolve: false,
            eachBatch: async ({ batch, heartbeat }) => {
              const end = ends.get(batch.partition);
              if (end === undefined) return;
              const mine = batch.messages.filter((m) => Number(m.offset) < end);
              if (mine.length === 0) return;
              progress.read += mine.length;
              await o.onChunk(mine.flatMap((m) => (m.value ? [JSON.parse(m.value.toString("utf8")) as RejectedEventRecord] : [])), { ...progress });
              const next = Number(mine.at(-1)!.offset) + 1;
              if (o.checkpoint) await consumer.commitOffsets([{ topic: o.topic, partition: batch.partition, offset: String(next) }]);
              await heartbeat();
              if (next >= end) ends.delete(batch.partition);
              if (ends.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return progress;
  } finally {
    if (!o.checkpoint) await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
