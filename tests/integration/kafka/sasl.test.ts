import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { create, toBinary } from "@bufbuild/protobuf";
import { createClient, UnaryTransport, type BatchSentInfo } from "@trackway/client";
import { SqlGatewayClient } from "@trackway/flink";
import type { RunningIngest } from "@trackway/ingest";
import { createKafka, flinkKafkaOptions } from "@trackway/kafka";
import { EventBatch } from "@trackway/proto/event/v1";
import { SendBatchRequest } from "@trackway/proto/ingest/v1";
import { reasonOf, silentLogger } from "@trackway/runtime";
import type { StackEndpoints } from "@trackway/stack";
import { loadWarehouse, tableStatements } from "@trackway/warehouse";
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, ingestWorld, privateKafka, readTopic, sharedStack, type IngestWorld, type PrivateKafka } from "../../support/index.js";

// A broker of its own with only a SASL_PLAINTEXT (SCRAM) listener and ACLs; the shared stack's broker is untouched.
const pw = () => randomBytes(12).toString("hex");
const USERS = { admin: pw(), ingest: pw(), flink: pw(), outsider: pw() };

let shared: StackEndpoints;
let kafka: PrivateKafka;
let w: IngestWorld;
let dir: string;
let ingest: RunningIngest;
const started: RunningIngest[] = [];
const sentIds: string[] = [];

/** Ingest's settings for a SCRAM user; the password goes through a file, as in production. */
async function saslSettings(user: string, password: string, mechanism = "SCRAM-SHA-512") {
  const file = path.join(dir, `${user}-${randomBytes(3).toString("hex")}.password`);
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return {
    TRACKWAY_KAFKA_BROKERS: kafka.brokers,
    TRACKWAY_KAFKA_SECURITY_PROTOCOL: "SASL_PLAINTEXT",
    TRACKWAY_KAFKA_SASL_MECHANISM: mechanism,
    TRACKWAY_KAFKA_SASL_USERNAME: user,
    TRACKWAY_KAFKA_SASL_PASSWORD_FILE: file,
  };
}

async function startIngestAs(user: string, password: string, extra: Record<string, string | boolean> = {}) {
  const s = await w.startIngest({ ...(await saslSettings(user, password)), ...extra });
  started.push(s);
  return s;
}

/** One SendBatch of one event, straight over gRPC (no client retries), resolving to the error it got. */
function sendOnce(address: string, eventId: string): Promise<unknown> {
  const batch = EventBatch.fromPartial({
    batchId: `sasl-${eventId}`,
    sentAt: new Date(),
    common: { eventName: "shop.order_completed", schemaVersion: 1, identity: { userId: "u-sasl" } },
    events: [{ header: { eventId }, properties: Buffer.from(toBinary(w.orderV1, create(w.orderV1, { orderId: eventId }))) }],
  });
  return new UnaryTransport({ address, apiKey: w.apiKey, compression: "gzip" }).send(SendBatchRequest.encode({ batch }).finish(), 60_000).then(
    () => undefined,
    (e: unknown) => e,
  );
}

beforeAll(async () => {
  shared = (await sharedStack()).endpoints;
  dir = await mkdtemp(path.join(tmpdir(), "trackway-sasl-it-"));
  kafka = await privateKafka(shared, await freePort(), { controllerPort: await freePort(), scramUsers: USERS, acls: true });
  w = await ingestWorld();
  // Grants as a production cluster would have them: ingest writes (and creates) the events topics, Flink reads them.
  const admin = createKafka({ brokers: kafka.brokers, clientId: "sasl-it-admin", requestTimeoutMs: 10_000, security: kafka.security }, silentLogger).admin();
  await admin.connect();
  const allow = (principal: string, resourceType: AclResourceTypes, resourceName: string, operation: AclOperationTypes, pattern = ResourcePatternTypes.PREFIXED) => ({
    principal: `User:${principal}`, host: "*", resourceType, resourceName, resourcePatternType: pattern, operation, permissionType: AclPermissionTypes.ALLOW,
  });
  await admin.createAcls({
    acl: [
      allow("ingest", AclResourceTypes.TOPIC, "trackway.events", AclOperationTypes.ALL),
      allow("ingest", AclResourceTypes.CLUSTER, "kafka-cluster", AclOperationTypes.IDEMPOTENT_WRITE, ResourcePatternTypes.LITERAL),
      allow("flink", AclResourceTypes.TOPIC, "trackway.events", AclOperationTypes.READ),
      allow("flink", AclResourceTypes.TOPIC, "trackway.events", AclOperationTypes.DESCRIBE),
      allow("flink", AclResourceTypes.GROUP, "sasl-it-", AclOperationTypes.READ),
    ],
  });
  await admin.disconnect();
  ingest = await startIngestAs("ingest", USERS.ingest);
}, 240_000);

afterAll(async () => {
  for (const s of started) await s.stop(1000).catch(() => undefined);
  await w?.stop();
  await kafka?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 120_000);

describe("Kafka over SASL (SCRAM) with ACLs", () => {
  it("ingest produces over SASL_PLAINTEXT and its events are in the topic", async () => {
    const sent: BatchSentInfo[] = [];
    const client = createClient({ address: ingest.address, apiKey: w.apiKey, schemas: [w.orderV1], versions: { "shop.order_completed": 1 }, identity: { userId: "u-sasl" }, hooks: { onBatchSent: (b) => sent.push(b) } });
    for (let i = 0; i < 5; i++) sentIds.push(client.track("shop.order_completed", create(w.orderV1, { orderId: `o-${i}` }))!);
    await client.close(60_000);
    expect(sent.reduce((n, b) => n + b.result.accepted, 0)).toBe(5);

    const records = await readTopic(kafka.brokers, w.topics.events, (r) => r.length >= 5, 60_000, kafka.security);
    expect(records.map((r) => r.value.event_id).sort()).toEqual([...sentIds].sort());
    expect(records.every((r) => r.headers.tenant === "acme")).toBe(true);
  });

  it("a Flink job on the shared cluster reads the topic over SASL with the settings the gateway renders", async () => {
    const wh = await loadWarehouse(undefined, { kafkaOptions: flinkKafkaOptions(kafka.userSecurity("flink", "SCRAM-SHA-256")) });
    const values = { kafka_brokers: kafka.brokers.join(","), events_topic: w.topics.events, kafka_group_id: `sasl-it-${randomBytes(4).toString("hex")}`, kafka_startup_mode: "earliest-offset", kafka_bounded_mode: "latest-offset" };
    const ddl = tableStatements(wh, ["kafka_events"], values);
    expect(ddl.join("\n")).toContain("'properties.security.protocol' = 'SASL_PLAINTEXT'");
    const rows = await new SqlGatewayClient({ baseUrl: shared.sqlGatewayUrl }).withSession(async (session) => {
      for (const st of ddl) await session.execute(st);
      // The shared cluster's slots may all be busy with other tests' jobs for a while: wait up to Flink's own slot request timeout.
      const r = await session.execute("SELECT event_id, tenant FROM kafka_events", { executionConfig: { "execution.runtime-mode": "batch" }, timeoutMs: 300_000 });
      return r.rows.map((x) => x.fields);
    });
    expect(rows.map((r) => r[0]).sort()).toEqual([...sentIds].sort());
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(["acme"]));
  }, 360_000);

  it("a wrong password: ingest answers KAFKA_AUTH_FAILED naming the user and the settings to fix, never the password", async () => {
    const wrong = `wrong-${pw()}`;
    const bad = await startIngestAs("ingest", wrong);
    const e = await sendOnce(bad.address, `wrong-pw-${randomBytes(4).toString("hex")}`);
    expect(reasonOf(e)).toBe("KAFKA_AUTH_FAILED");
    const message = (e as { details: string }).details;
    expect(message).toContain('user "ingest" (SCRAM-SHA-512)');
    expect(message).toContain("TRACKWAY_KAFKA_SASL_PASSWORD_FILE");
    expect(message).not.toContain(wrong);
  }, 120_000);

  it("a user the ACLs do not cover: ingest answers KAFKA_NOT_AUTHORIZED saying what to grant", async () => {
    const outsider = await startIngestAs("outsider", USERS.outsider);
    const e = await sendOnce(outsider.address, `outsider-${randomBytes(4).toString("hex")}`);
    expect(reasonOf(e)).toBe("KAFKA_NOT_AUTHORIZED");
    expect((e as { details: string }).details).toContain("kafka-acls --add --allow-principal");
  }, 120_000);

  it("a wrong password in the Flink DDL fails the read with Kafka's authentication error", async () => {
    const wh = await loadWarehouse(undefined, { kafkaOptions: flinkKafkaOptions(kafka.userSecurity("flink", "SCRAM-SHA-256", "not-the-password")) });
    const values = { kafka_brokers: kafka.brokers.join(","), events_topic: w.topics.events, kafka_group_id: `sasl-it-${randomBytes(4).toString("hex")}`, kafka_startup_mode: "earliest-offset", kafka_bounded_mode: "latest-offset" };
    const failure = await new SqlGatewayClient({ baseUrl: shared.sqlGatewayUrl }).withSession(async (session) => {
      for (const st of tableStatements(wh, ["kafka_events"], values)) await session.execute(st);
      // No restarts: the cluster's default (checkpointing on) would retry the failing source forever.
      return session
        .execute("SELECT event_id FROM kafka_events", { executionConfig: { "execution.runtime-mode": "batch", "restart-strategy": "none" }, timeoutMs: 120_000 })
        .then(() => undefined, (err: unknown) => err as Error);
    });
    expect(failure).toBeInstanceOf(Error);
    expect(String(failure?.message)).toMatch(/SaslAuthenticationException|Authentication failed/i);
    expect(String(failure?.message)).not.toContain("not-the-password");
  }, 180_000);
});
