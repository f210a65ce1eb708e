import { create } from "@bufbuild/protobuf";
import { createClient, type BatchSentInfo } from "@trackway/client";
import type { RunningIngest } from "@trackway/ingest";
import { createKafka } from "@trackway/kafka";
import { silentLogger } from "@trackway/runtime";
import { ConfigResourceTypes } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestWorldWithIngest, readTopic, sharedStack, type IngestWorld } from "../../support/index.js";
import { SqlGatewayClient } from "@trackway/flink";
import { eventsTableDdl } from "./flink-ddl.js";

let w: IngestWorld;
let ingest: RunningIngest;
beforeAll(async () => {
  ({ w, ingest } = await ingestWorldWithIngest());
});
afterAll(() => w?.stop());

describe("accepted events", () => {
  it("are on trackway.events.v1 as the documented JSON, keyed by identity, with tenant/name/schema headers", async () => {
    const sent: BatchSentInfo[] = [];
    const client = createClient({
      address: ingest.address,
      apiKey: w.apiKey,
      schemas: [w.orderV2],
      versions: { "shop.order_completed": 2 },
      identity: { userId: "u-42", deviceId: "d-7" },
      sessionId: "s-1",
      context: { app: { name: "shop-web", version: "3.2.1" }, locale: "fr-FR", network: { wifi: true }, page: { path: "/checkout" } },
      attributes: { region: "eu" },
      hooks: { onBatchSent: (b) => sent.push(b) },
    });
    const before = Date.now();
    const ids = [
      client.track("shop.order_completed", create(w.orderV2, { orderId: "o-1", totalCents: 4599n, itemCount: 3, currency: "EUR" }), { eventTime: new Date(before - 60_000) }),
      client.track("shop.order_completed", create(w.orderV2, { orderId: "o-2" }), { attributes: { ab: "B" }, identity: { userId: "", anonymousId: "a-9" } }),
    ];
    await client.close();
    const after = Date.now();
    expect(sent.map((b) => [b.result.accepted, b.result.rejected])).toEqual([[2, 0]]);

    const records = await readTopic(w.brokers, w.topics.events, (r) => r.length >= 2);
    const [first, second] = ids.map((id) => records.find((r) => r.value.event_id === id)!);
    const schemaId = (await w.registry.client.getSchema({ subject: "shop.order_completed", version: 2 })).schema!.schemaId;

    expect(first!.key).toBe("u-42");
    expect(first!.headers).toEqual({ tenant: "acme", event_name: "shop.order_completed", schema_id: String(schemaId), schema_version: "2" });
    const v = first!.value;
    expect(v).toEqual({
      event_id: ids[0],
      event_name: "shop.order_completed",
      schema_id: schemaId,
      schema_version: 2,
      tenant: "acme",
      event_time: expect.any(Number),
      event_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      client_event_time: before - 60_000,
      sent_at: expect.any(Number),
      received_at: expect.any(Number),
      clock_skew_ms: expect.any(Number),
      batch_id: sent[0]!.batchId,
      identity_key: "u-42",
      user_id: "u-42",
      device_id: "d-7",
      session_id: "s-1",
      app_name: "shop-web",
      app_version: "3.2.1",
      network_wifi: true,
      locale: "fr-FR",
      library_name: "@trackway/client",
      library_version: "0.1.0",
      page_path: "/checkout",
      client_ip: "127.0.0.1",
      attributes: { region: "eu" },
      properties: { order_id: "o-1", total_cents: "4599", item_count: 3, currency: "EUR" },
    });
    // Same clock on both ends: the correction is the network time, a few milliseconds.
    expect(Math.abs(v.clock_skew_ms as number)).toBeLessThan(1000);
    expect(v.event_time).toBe((v.client_event_time as number) + (v.clock_skew_ms as number));
    expect(v.received_at as number).toBeGreaterThanOrEqual(before);
    expect(v.received_at as number).toBeLessThanOrEqual(after);

    // The event's own identity wins over the client's; defaults of implicit fields are written (0, "").
    expect(second!.key).toBe("a-9");
    expect(second!.value).toMatchObject({ anonymous_id: "a-9", identity_key: "a-9", attributes: { region: "eu", ab: "B" }, properties: { order_id: "o-2", total_cents: "0", item_count: 0, currency: "" } });
    expect(second!.value.user_id).toBeUndefined();
  });

  it("read back by Flink SQL with the json format and the documented columns", async () => {
    const { endpoints } = await sharedStack();
    const gateway = new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl });
    const result = await gateway.withSession(async (session) => {
      await session.execute(eventsTableDdl("events_it", w.topics.events, w.brokers.join(",")));
      return session.execute(
        "SELECT event_id, schema_version, user_id, anonymous_id, network_wifi, attributes['region'], JSON_VALUE(properties, '$.order_id'), " +
          "CAST(TO_TIMESTAMP_LTZ(event_time, 3) AS STRING) IS NOT NULL, event_date FROM events_it",
        { executionConfig: { "execution.runtime-mode": "batch" } },
      );
    });
    const rows = result.rows.map((r) => r.fields).sort((a, b) => String(a[6]).localeCompare(String(b[6])));
    expect(rows).toEqual([
      [expect.any(String), 2, "u-42", null, true, "eu", "o-1", true, expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)],
      [expect.any(String), 2, null, "a-9", true, "eu", "o-2", true, expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)],
    ]);
  });

  it("creates the topics with the configured partitions, retention and message size", async () => {
    const kafka = createKafka({ brokers: w.brokers, clientId: "it", requestTimeoutMs: 10_000 }, silentLogger);
    const admin = kafka.admin();
    await admin.connect();
    try {
      // Ingest creates them when it starts, in the background.
      for (let i = 0; i < 100 && !(await admin.listTopics()).includes(w.topics.rejected); i++) await new Promise((r) => setTimeout(r, 100));
      const meta = await admin.fetchTopicMetadata({ topics: [w.topics.events, w.topics.rejected] });
      const partitions = Object.fromEntries(meta.topics.map((t) => [t.name, t.partitions.length]));
      expect(partitions).toEqual({ [w.topics.events]: 6, [w.topics.rejected]: 3 });
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [w.topics.events, w.topics.rejected].map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ["retention.ms", "max.message.bytes", "cleanup.policy"] })),
      });
      const byTopic = Object.fromEntries(configs.resources.map((r) => [r.resourceName, Object.fromEntries(r.configEntries.map((c) => [c.configName, c.configValue]))]));
      expect(byTopic[w.topics.events]).toEqual({ "retention.ms": String(7 * 24 * 3600_000), "max.message.bytes": String(16 * 1024 * 1024), "cleanup.policy": "delete" });
      expect(byTopic[w.topics.rejected]).toMatchObject({ "retention.ms": String(30 * 24 * 3600_000) });
    } finally {
      await admin.disconnect();
    }
  });

  it("reports the schema cache's hits and misses and the produce latency in /metrics", async () => {
    const text = await (await fetch(`http://127.0.0.1:${ingest.metricsServer.port}/metrics`)).text();
    expect(text).toMatch(/trackway_ingest_schema_cache_lookups_total\{result="miss",service="ingest"\} [1-9]/);
    expect(text).toMatch(/trackway_ingest_kafka_produce_seconds_count\{service="ingest",outcome="ok"\} [1-9]/);
  });
});
