import kafkajs, { type Kafka } from "kafkajs";

// kafkajs is CommonJS: its enums are read from the default export (a named import fails at load time).
const { ConfigResourceTypes } = kafkajs;

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
 * Creates the events and rejected topics when they do not exist. An existing topic keeps its partitions, but
 * takes the configured retention when it differs (so a changed TRACKWAY_*_RETENTION applies at the next start).
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
    const kept = [
      { name: t.events, retentionMs: t.eventsRetentionMs },
      { name: t.rejected, retentionMs: t.rejectedRetentionMs },
    ].filter((x) => existing.has(x.name));
    if (kept.length > 0) {
      const now = await retentionOf(admin, kept.map((k) => k.name));
      const changed = kept.filter((k) => now.get(k.name) !== k.retentionMs);
      // alterConfigs replaces the topic's dynamic configs: every entry ingest sets is given again.
      if (changed.length > 0) {
        await admin.alterConfigs({ validateOnly: false, resources: changed.map((k) => ({ type: ConfigResourceTypes.TOPIC, name: k.name, configEntries: config(k.retentionMs) })) });
      }
    }
    return wanted.map((x) => x.topic);
  } finally {
    await admin.disconnect();
  }
}

type Admin = ReturnType<Kafka["admin"]>;

async function retentionOf(admin: Admin, topics: string[]): Promise<Map<string, number>> {
  const r = await admin.describeConfigs({ includeSynonyms: false, resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ["retention.ms"] })) });
  return new Map(r.resources.map((x) => [x.resourceName, Number(x.configEntries.find((e) => e.configName === "retention.ms")?.configValue)]));
}

/** Each existing topic's `retention.ms` (-1: kept forever); topics that do not exist are left out. */
export async function topicRetention(kafka: Kafka, topics: string[]): Promise<Map<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((t) => existing.has(t));
    return present.length > 0 ? await retentionOf(admin, present) : new Map();
  } finally {
    await admin.disconnect();
  }
}
