import { create, toBinary, type DescMessage } from "@bufbuild/protobuf";
import { UnaryTransport } from "@trackway/client";
import { createPool, type Pool } from "@trackway/db";
import { hmacHasher, TenantPrivacyStore, type RunningIngest } from "@trackway/ingest";
import { EventBatch } from "@trackway/proto/event/v1";
import { SendBatchRequest } from "@trackway/proto/ingest/v1";
import { loadSchema } from "@trackway/registry-client";
import { SqlGatewayClient } from "@trackway/flink";
import { ensureStack } from "@trackway/stack";
import { loadWarehouse, runJob } from "@trackway/warehouse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchRows, readerSession, waitFinished } from "../../support/flink-jobs.js";
import { USER_SIGNED_UP_SOURCE } from "../../fixtures/ingest/index.js";
import { ingestWorld, readTopic, type IngestWorld } from "../../support/index.js";

// Real registry, Postgres and Kafka: a contract with PII marks and tenant `acme`'s header policy, as they land in Kafka.
const SUBJECT = "privacy.user_signed_up";
const MESSAGE = "shop.v1.UserSignedUp";

let w: IngestWorld;
let ingest: RunningIngest;
let pool: Pool;
let desc: DescMessage;
let hash: (v: string) => string;

beforeAll(async () => {
  w = await ingestWorld();
  const { schema } = await w.registry.client.registerSchema({ subject: SUBJECT, protoSource: USER_SIGNED_UP_SOURCE, messageName: MESSAGE, fileName: "shop/user_signed_up.proto", author: "it" });
  desc = loadSchema(schema!.descriptorSet, schema!.messageName).message;
  pool = createPool(w.databaseUrl, { max: 2 });
  const store = new TenantPrivacyStore(pool);
  await store.setPolicy("acme", { userId: "HASH", anonymousId: "DROP", ip: "TRUNCATE", userAgent: "DROP", pageUrl: "TRUNCATE" });
  hash = hmacHasher((await store.settings("acme")).salt);
  ingest = await w.startIngest();
}, 120_000);
afterAll(async () => {
  await pool?.end();
  await w?.stop();
});

describe("privacy by contract at ingest", () => {
  it("hashes, masks and drops marked properties and applies the tenant's header policy before Kafka", async () => {
    const props = create(desc, { email: "ann@example.com", phone: "+15551234567", passwordHint: "cat", plan: "pro", emails: ["a@x.io"], address: { street: "Main St 1", city: "Berlin" } } as never);
    const batch = EventBatch.fromPartial({
      batchId: "pii-1",
      sentAt: new Date(),
      events: [{
        header: {
          eventId: "pii-1-a", eventName: SUBJECT, schemaVersion: 1,
          identity: { userId: "user-ann", anonymousId: "anon-ann" },
          context: { ip: "198.51.100.23", userAgent: "Mozilla/5.0 (X11) Firefox/120", page: { url: "https://shop.example/signup?email=ann@example.com", search: "?email=ann@example.com", path: "/signup" } },
        },
        properties: Buffer.from(toBinary(desc, props)),
      }],
    });
    const r = await new UnaryTransport({ address: ingest.address, apiKey: w.apiKey, compression: "gzip" }).send(SendBatchRequest.encode({ batch }).finish(), 60_000);
    expect(r).toMatchObject({ accepted: 1, rejected: 0 });
    const records = await readTopic(w.brokers, w.topics.events, (rs) => rs.some((x) => x.value.batch_id === "pii-1"));
    const rec = records.find((x) => x.value.batch_id === "pii-1")!;
    expect(rec.value.properties).toEqual({ email: hash("ann@example.com"), phone: "********4567", plan: "pro", emails: [hash("a@x.io")], address: { city: "Berlin" } });
    expect(rec.value).toMatchObject({ user_id: hash("user-ann"), identity_key: hash("user-ann"), context_ip: "198.51.100.0", page_url: "https://shop.example/signup", page_path: "/signup" });
    expect(String(rec.value.client_ip)).toMatch(/(^|:)127\.0\.0\.0$/);
    for (const k of ["anonymous_id", "user_agent", "page_search"]) expect(rec.value[k]).toBeUndefined();
    expect(rec.key).toBe(hash("user-ann"));
    // No raw value marked HASH or DROP is anywhere in the record.
    const raw = JSON.stringify(rec);
    for (const s of ["ann@example.com", "user-ann", "anon-ann", "cat", "Main St", "198.51.100.23", "Firefox", "a@x.io"]) expect(raw).not.toContain(s);
  });

  it("lands pseudonymised in ods_events (one ODS BATCH run over this file's topic)", async () => {
    const endpoints = await ensureStack();
    const wh = await loadWarehouse();
    const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
    const values = {
      kafka_brokers: endpoints.kafkaBrokers.join(","),
      events_topic: w.topics.events,
      kafka_group_id: `privacy-it-${run}`,
      hudi_base_path: `${endpoints.hudiBasePath}/privacy-it-${run}`,
    };
    const session = await new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl }).openSession({ name: "privacy-it" });
    const job = await runJob(session, wh, "ods_events", "BATCH", values);
    await waitFinished(endpoints.flinkRestUrl, job.flinkJobId);
    const reader = await readerSession(endpoints, wh, values);
    try {
      const rows = await batchRows(reader, "SELECT user_id, anonymous_id, context_ip, user_agent, page_url, page_search, properties FROM ods_events WHERE event_id = 'pii-1-a'");
      expect(rows).toHaveLength(1);
      const [userId, anonymousId, contextIp, userAgent, pageUrl, pageSearch, properties] = rows[0]!;
      expect([userId, anonymousId, contextIp, userAgent, pageUrl, pageSearch]).toEqual([hash("user-ann"), null, "198.51.100.0", null, "https://shop.example/signup", null]);
      expect(JSON.parse(String(properties))).toEqual({ email: hash("ann@example.com"), phone: "********4567", plan: "pro", emails: [hash("a@x.io")], address: { city: "Berlin" } });
    } finally {
      await reader.close().catch(() => {});
      await session.close().catch(() => {});
    }
  }, 300_000);

  it("reports a PII policy change between versions as a rule change (never tightening)", async () => {
    const changed = USER_SIGNED_UP_SOURCE.replace("string plan = 4;", "string plan = 4 [(trackway.options.v1.field).pii = PII_MASK];").replace("pii = PII_HASH];\n  string phone", "pii = PII_DROP];\n  string phone");
    const r = await w.registry.client.checkCompatibility({ subject: SUBJECT, protoSource: changed, messageName: MESSAGE, fileName: "shop/user_signed_up.proto" });
    expect(r.compatible).toBe(true);
    expect(r.ruleChanges.map((c) => [c.path, c.rule, c.kind, c.before, c.after, c.tightens])).toEqual([
      ["email", "trackway.pii", "CHANGED", '"PII_HASH"', '"PII_DROP"', false],
      ["plan", "trackway.pii", "ADDED", "", '"PII_MASK"', false],
    ]);
  });
});
