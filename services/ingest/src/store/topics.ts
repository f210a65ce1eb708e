import type { Kafka } from "kafkajs";

/** The two topics ingest writes and how they are created when missing. */
export interface TopicSettings {
  events: string;
  rejected: string;
  eventsPartitions: number;
  rejectedPartitions: number;
  replicationFactor: number;
  eventsRetentionMs: number;
  rejectedRetentionMs: number;
  /** Largest record batch a partition accepts (`max.message.bytes`), above the broker's 1 MB default. */
  maxMessageBytes: number;
}

/** Default topic names and sizes for a local single-broker stack. */
export const DEFAULT_TOPICS: TopicSettings = {
  events: "trackway.events.v1",
  rejected: "trackway.events.rejected.v1",
  eventsPartitions: 6,
  rejectedPartitions: 3,
  replicationFactor: 1,
  eventsRetentionMs: 7 * 24 * 3600_000,
  rejectedRetentionMs: 30 * 24 * 3600_000,
  maxMessageBytes: 16 * 1024 * 1024,
};

/**
 * Creates the events and rejected topics when they do not exist (an existing topic is left as it is).
 * Returns the names it created.
 */
export async function ensureTopics(kafka: Kafka, t: TopicSettings): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const config = (retentionMs: number) => [
      { name: "retention.ms", value: String(retentionMs) },
      { name: "cleanup.policy", value: "delete" },
      { name: "max.message.bytes", value: String(t.maxMessageBytes) },
    ];
    const wanted = [
      { topic: t.events, numPartitions: t.eventsPartitions, replicationFactor: t.replicationFactor, configEntries: config(t.eventsRetentionMs) },
      { topic: t.rejected, numPartitions: t.rejectedPartitions, replicationFactor: t.replicationFactor, configEntries: config(t.rejectedRetentionMs) },
    ].filter((x) => !existing.has(x.topic));
    if (wanted.length > 0) await admin.createTopics({ topics: wanted, waitForLeaders: true });
    return wanted.map((x) => x.topic);
  } finally {
    await admin.disconnect();
  }
}
