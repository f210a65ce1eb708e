import { randomUUID } from "node:crypto";
import type { Admin, Kafka } from "kafkajs";
import type { Logger } from "@trackway/runtime";

/** The topics a tail reads. */
export interface TailTopics {
  events: string;
  rejected: string;
}

/** An open reader of both topics from their end at open time. */
export interface TopicTail {
  close(): Promise<void>;
}

/** The topic's end offsets; retried for a few seconds, as ingest creates its topics in the background at start. */
async function endOffsets(admin: Admin, topic: string, attempts = 20): Promise<{ partition: number; high: string }[]> {
  for (let i = 1; ; i++) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (e) {
      if (i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Reads the events and rejected topics from their current end with a consumer group of its own (never committed,
 * deleted on close), calling `onRecord` for each record. It resolves once positioned: every record produced after
 * that is seen. The end offsets are taken before the group joins and sought to after, so a record produced while
 * the group was joining is not skipped.
 */
export async function openTopicTail(kafka: Kafka, topics: TailTopics, onRecord: (accepted: boolean, value: string) => void, logger: Logger): Promise<TopicTail> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, { partition: number; offset: string }[]>();
  try {
    for (const topic of [topics.events, topics.rejected]) ends.set(topic, (await endOffsets(admin, topic)).map((p) => ({ partition: p.partition, offset: p.high })));
  } finally {
    await admin.disconnect();
  }
  const groupId = `trackway-tail-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  const close = async () => {
    await consumer.disconnect().catch(() => undefined);
    const a = kafka.admin();
    await a.connect().then(() => a.deleteGroups([groupId])).catch((e: unknown) => logger.debug("tail group not deleted", { groupId, err: String(e) }));
    await a.disconnect().catch(() => undefined);
  };
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topics.events, topics.rejected], fromBeginning: false });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const accepted = batch.topic === topics.events;
        for (const m of batch.messages) if (m.value) onRecord(accepted, m.value.toString("utf8"));
      },
    });
    await joined;
    for (const [topic, partitions] of ends) for (const p of partitions) consumer.seek({ topic, partition: p.partition, offset: p.offset });
    return { close };
  } catch (e) {
    await close();
    throw e;
  }
}
