import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { create, toBinary, type DescMessage } from "@bufbuild/protobuf";
import { UnaryTransport } from "@trackway/client";
import { createPool, type Pool } from "@trackway/db";
import { openOriginal, type RejectedEventRecord } from "@trackway/envelope";
import { SqlGatewayClient } from "@trackway/flink";
import { DeletionRequests, hmacHasher, TenantDataKeys, TenantPrivacyStore, type RunningIngest } from "@trackway/ingest";
import { Event, EventBatch } from "@trackway/proto/event/v1";
import { SendBatchRequest } from "@trackway/proto/ingest/v1";
import { loadSchema } from "@trackway/registry-client";
import { ensureStack, repoRoot } from "@trackway/stack";
import { loadWarehouse, runJob, tableStatements } from "@trackway/warehouse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchRows, waitFinished } from "../../support/flink-jobs.js";
import { ingestWorld, readTopic, type IngestWorld } from "../../support/index.js";

// Rejected events of a tenant with a privacy policy, on the real stack: what the rejected topic and ods_rejected keep,
// replay through the CLI (the key from PostgreSQL), and the key shredded by a deletion request.
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const TENANT = `privrej-${run}`;
const SUBJECT = "privrej.signup";
const source = (rule: boolean) => `syntax = "proto3";
package privrej.v1;
import "buf/validate/validate.proto";
import "trackway/options/v1/pii.proto";
message Signup {
  string email = 1 [(trackway.options.v1.field).pii = PII_HASH];
  string password_hint = 2 [(trackway.options.v1.field).pii = PII_DROP];
  string phone = 3 [(trackway.options.v1.field).pii = PII_MASK];
  string plan = 4${rule ? ' [(buf.validate.field).string = {in: ["pro", "team"]}]' : ""};
}
`;
/** Raw values no stored copy may hold: HASH, DROP and MASK properties, hashed/dropped/truncated header fields. */
const RAW = ["ann@example.com", "hint-cat", "+15551234567", "user-ann", "anon-ann", "198.51.100.23"];

let w: IngestWorld;
let ingest: RunningIngest;
let pool: Pool;
let desc: DescMessage;
let apiKey: string;
let hash: (v: string) => string;
const exec = promisify(execFile);

beforeAll(async () => {
  w = await ingestWorld();
  const { schema } = await w.registry.client.registerSchema({ subject: SUBJECT, protoSource: source(true), messageName: "privrej.v1.Signup", fileName: "privrej/signup.proto", author: "it" });
  desc = loadSchema(schema!.descriptorSet, schema!.messageName).message;
  pool = createPool(w.databaseUrl, { max: 2 });
  const store = new TenantPrivacyStore(pool);
  await store.setPolicy(TENANT, { userId: "HASH", anonymousId: "DROP", ip: "TRUNCATE" });
  hash = hmacHasher((await store.settings(TENANT)).salt);
  apiKey = (await w.keys.create({ tenant: TENANT, name: "it" })).key;
  ingest = await w.startIngest({ TRACKWAY_INGEST_KEY_CACHE_TTL: "200ms" });
}, 120_000);
afterAll(async () => {
  await pool?.end();
  await w?.stop();
});

const props = (plan: string) => Buffer.from(toBinary(desc, create(desc, { email: "ann@example.com", passwordHint: "hint-cat", phone: "+15551234567", plan } as never)));
const rejectedOf = async (batchId: string, n: number) =>
  (await readTopic(w.brokers, w.topics.rejected, (rs) => rs.filter((x) => x.value.batch_id === batchId).length >= n)).filter((x) => x.value.batch_id === batchId).map((x) => x.value as unknown as RejectedEventRecord).sort((a, b) => a.index - b.index);

const replay = async (...extra: string[]) => {
  const r = await exec("node", ["packages/cli/bin/trackway.js", "events", "replay", "--tenant", TENANT, "--to-version", "latest", "--address", ingest.address,
    "--registry", w.registry.registry.address, "--brokers", w.brokers.join(","), "--topic", w.topics.rejected, "--database-url", w.databaseUrl, ...extra], {
    cwd: repoRoot,
    env: { ...process.env, TRACKWAY_API_KEY: apiKey },
  });
  return { tally: JSON.parse(r.stdout) as { sent: number; accepted: number }, stderr: r.stderr };
};

describe("rejected events under the tenant's privacy policy", () => {
  let records: RejectedEventRecord[];

  it("keeps no raw personal data in the rejected topic: a decoded event under the policy, an undecoded one sealed", async () => {
    const batch = EventBatch.fromPartial({
      batchId: `rej-${run}`,
      sentAt: new Date(),
      common: { identity: { userId: "user-ann", anonymousId: "anon-ann" }, context: { ip: "198.51.100.23" } },
      events: [
        { header: { eventId: `violates-${run}`, eventName: SUBJECT, schemaVersion: 1 }, properties: props("free") },
        { header: { eventId: `unknown-${run}`, eventName: SUBJECT, schemaVersion: 9 }, properties: props("pro") },
      ],
    });
    const r = await new UnaryTransport({ address: ingest.address, apiKey, compression: "gzip" }).send(SendBatchRequest.encode({ batch }).finish(), 60_000);
    expect(r.rejections.map((x) => x.reason)).toEqual(["CONTRACT_VIOLATION", "UNKNOWN_SCHEMA_VERSION"]);
    records = await rejectedOf(`rej-${run}`, 2);
    const text = JSON.stringify(records);
    for (const s of RAW) expect(text).not.toContain(s);
    for (const rec of records) expect(Buffer.from(rec.original, "base64").toString("latin1")).not.toMatch(/ann@example\.com|user-ann|hint-cat/);
    const key = (await new TenantDataKeys(pool).find(TENANT))!;
    expect(records.map((x) => [x.protection, x.key_id, x.common])).toEqual([["policy", key.id, undefined], ["sealed", key.id, undefined]]);
    expect(records[0]!.header).toMatchObject({ identity: { userId: hash("user-ann") }, context: { ip: "198.51.100.0" } });
    expect(records[0]!.client_ip).toMatch(/(^|:)127\.0\.0\.0$/);
    // The policy copy: MASK masked, DROP gone (HASH values are sealed tokens, checked by the replay below).
    const copy = Event.decode(Buffer.from(records[0]!.original, "base64"));
    expect(Buffer.from(copy.properties).toString("latin1")).toContain("********4567");
    // The sealed one opens with the tenant's key from PostgreSQL to the bytes as sent.
    expect(openOriginal(key, TENANT, records[1]!.original)!.original.toString("latin1")).toContain("ann@example.com");
  });

  it("keeps no raw personal data in ods_rejected (one BATCH run over this file's rejected topic)", async () => {
    const endpoints = await ensureStack();
    const wh = await loadWarehouse();
    const values = { kafka_brokers: endpoints.kafkaBrokers.join(","), rejected_topic: w.topics.rejected, kafka_rejected_group_id: `privrej-${run}`, hudi_base_path: `${endpoints.hudiBasePath}/privrej-it-${run}` };
    const session = await new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl }).openSession({ name: "privrej-it" });
    try {
      const job = await runJob(session, wh, "ods_rejected", "BATCH", values);
      await waitFinished(endpoints.flinkRestUrl, job.flinkJobId);
      for (const st of tableStatements(wh, ["ods_rejected"], { ...values, ods_streaming_read: "false", ods_read_start_commit: "earliest" })) await session.execute(st);
      const rows = await batchRows(session, `SELECT event_id, header, original, client_ip FROM ods_rejected WHERE tenant = '${TENANT}'`);
      expect(rows.map((x) => String(x[0])).sort()).toEqual([`unknown-${run}`, `violates-${run}`]);
      const text = JSON.stringify(rows);
      for (const s of RAW) expect(text).not.toContain(s);
      for (const x of rows) expect(Buffer.from(String(x[2]), "base64").toString("latin1")).not.toMatch(/ann@example\.com|user-ann|hint-cat/);
      expect(text).toContain(hash("user-ann"));
    } finally {
      await session.close().catch(() => {});
    }
  }, 300_000);

  it("replays both after a repair (a version without the rule): each HASH value hashed once, as a first send would", async () => {
    await w.registry.client.registerSchema({ subject: SUBJECT, protoSource: source(false), messageName: "privrej.v1.Signup", fileName: "privrej/signup.proto", author: "it" });
    const { tally, stderr } = await replay();
    expect(stderr).not.toContain("skipped");
    expect(tally).toMatchObject({ sent: 2, accepted: 2 });
    const ids = [`violates-${run}`, `unknown-${run}`];
    const events = (await readTopic(w.brokers, w.topics.events, (rs) => ids.every((id) => rs.some((x) => x.value.event_id === id)))).filter((x) => ids.includes(String(x.value.event_id)));
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e.value).toMatchObject({ user_id: hash("user-ann"), context_ip: "198.51.100.0", schema_version: 2 });
      expect(e.value.anonymous_id).toBeUndefined();
      expect(e.value.properties).toEqual({ email: hash("ann@example.com"), phone: "********4567", plan: expect.any(String) });
    }
  }, 120_000);

  it("shreds the tenant's data key on a deletion request: a sealed record can no longer be replayed", async () => {
    const before = (await new TenantDataKeys(pool).find(TENANT))!;
    await new DeletionRequests(pool).request(TENANT, { userId: "someone-else" }, "it");
    expect(await new TenantDataKeys(pool).find(TENANT)).toBeUndefined();
    const { tally, stderr } = await replay("--reason", "UNKNOWN_SCHEMA_VERSION");
    expect(tally).toMatchObject({ sent: 0 });
    expect(stderr).toContain(`sealed with data key ${before.id}, which is gone`);
    // New rejections get a new key.
    const batch = EventBatch.fromPartial({ batchId: `after-${run}`, sentAt: new Date(), events: [{ header: { eventId: `after-${run}`, eventName: SUBJECT, schemaVersion: 9, identity: { userId: "user-bob" } }, properties: props("pro") }] });
    await new Promise((r) => setTimeout(r, 400));
    await new UnaryTransport({ address: ingest.address, apiKey, compression: "gzip" }).send(SendBatchRequest.encode({ batch }).finish(), 60_000);
    const [after] = await rejectedOf(`after-${run}`, 1);
    const now = (await new TenantDataKeys(pool).find(TENANT))!;
    expect(now.id).not.toBe(before.id);
    expect(after).toMatchObject({ protection: "sealed", key_id: now.id });
  }, 120_000);
});
