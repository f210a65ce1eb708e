import { DEFAULT_TOPICS, ensureTopics, topicRetention } from "@trackway/ingest";
import { createKafka } from "@trackway/kafka";
import { silentLogger } from "@trackway/runtime";
import { ensureStack } from "@trackway/stack";
import { describe, expect, it } from "vitest";
import { deleteTopics } from "../../support/index.js";

describe("Kafka retention", () => {
  it("creates topics with the configured retention and applies a changed one to existing topics", async () => {
    const { kafkaBrokers } = await ensureStack();
    const kafka = createKafka({ brokers: kafkaBrokers, clientId: "privacy-retention-it", requestTimeoutMs: 10_000 }, silentLogger);
    const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
    const t = { ...DEFAULT_TOPICS, events: `privacy-it.events.${run}`, rejected: `privacy-it.rejected.${run}`, eventsPartitions: 1, rejectedPartitions: 1 };
    try {
      expect(await ensureTopics(kafka, { ...t, eventsRetentionMs: 3_600_000, rejectedRetentionMs: 7_200_000 })).toEqual([t.events, t.rejected]);
      expect(await topicRetention(kafka, [t.events, t.rejected, `privacy-it.none.${run}`])).toEqual(new Map([[t.events, 3_600_000], [t.rejected, 7_200_000]]));
      expect(await ensureTopics(kafka, { ...t, eventsRetentionMs: 86_400_000, rejectedRetentionMs: 7_200_000 })).toEqual([]);
      expect(await topicRetention(kafka, [t.events, t.rejected])).toEqual(new Map([[t.events, 86_400_000], [t.rejected, 7_200_000]]));
      // The other settings ingest gives its topics survive the change.
      const admin = kafka.admin();
      await admin.connect();
      const r = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: t.events, configNames: ["max.message.bytes", "cleanup.policy"] }] });
      await admin.disconnect();
      expect(Object.fromEntries(r.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]))).toEqual({ "max.message.bytes": String(t.maxMessageBytes), "cleanup.policy": "delete" });
    } finally {
      await deleteTopics(kafkaBrokers, [t.events, t.rejected]);
    }
  }, 120_000);
});
