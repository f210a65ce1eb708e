import { readFileSync } from "node:fs";
import path from "node:path";
import { create, toBinary } from "@bufbuild/protobuf";
import { UnaryTransport } from "@trackway/client";
import { SqlGatewayClient, type SqlGatewaySession } from "@trackway/flink";
import { EventBatch } from "@trackway/proto/event/v1";
import { SendBatchRequest } from "@trackway/proto/ingest/v1";
import { loadSchema } from "@trackway/registry-client";
import { ensureStack, repoRoot, type StackEndpoints } from "@trackway/stack";
import { loadWarehouse, runJob, tableStatements } from "@trackway/warehouse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestWorld, type IngestWorld } from "../../support/index.js";
import { batchRows, cancelAll, waitFinished } from "../../support/flink-jobs.js";

const SOURCE = readFileSync(path.join(repoRoot, "tests/fixtures/contracts/order_checked.proto"), "utf8");
let w: IngestWorld;
let endpoints: StackEndpoints;
let reader: SqlGatewaySession | undefined;
const jobs: (string | undefined)[] = [];
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

beforeAll(async () => {
  endpoints = await ensureStack();
  w = await ingestWorld();
}, 300_000);
afterAll(async () => {
  await cancelAll(endpoints.flinkRestUrl, jobs);
  await reader?.close().catch(() => {});
  await w?.stop();
});

describe("ods_rejected", () => {
  it("lands rejected events, contract violations with their rules, in a warehouse table (BATCH run)", async () => {
    const { schema } = await w.registry.client.registerSchema({ subject: "shopit.order_wh", protoSource: SOURCE, messageName: "shopit.v1.OrderChecked", fileName: "shopit/order_checked.proto", author: "it" });
    const desc = loadSchema(schema!.descriptorSet, schema!.messageName).message;
    const ingest = await w.startIngest();
    const props = (p: object) => Buffer.from(toBinary(desc, create(desc, { orderId: "o", totalCents: 100n, itemCount: 1, email: "a@example.com", currency: "EUR", ...p })));
    const batch = EventBatch.fromPartial({
      batchId: `wh-${run}`,
      sentAt: new Date(),
      common: { eventName: "shopit.order_wh", schemaVersion: 1, identity: { userId: "u-1" } },
      events: [
        { header: { eventId: "ok" }, properties: props({}) },
        { header: { eventId: "neg" }, properties: props({ totalCents: -1n, discountCents: -2n }) },
        { header: { eventId: "mail" }, properties: props({ email: "nope" }) },
        { header: { eventId: "unknown", eventName: "shopit.nope" }, properties: props({}) },
      ],
    });
    const result = await new UnaryTransport({ address: ingest.address, apiKey: w.apiKey, compression: "gzip" }).send(SendBatchRequest.encode({ batch }).finish(), 60_000);
    // The independent count: what this test sent that must be rejected.
    expect(result.rejections.map((r) => [r.eventId, r.reason])).toEqual([["neg", "CONTRACT_VIOLATION"], ["mail", "CONTRACT_VIOLATION"], ["unknown", "UNKNOWN_EVENT"]]);

    const wh = await loadWarehouse();
    const values = { kafka_brokers: endpoints.kafkaBrokers.join(","), rejected_topic: w.topics.rejected, kafka_rejected_group_id: `ods-rejected-it-${run}`, hudi_base_path: `${endpoints.hudiBasePath}/contracts-it-${run}` };
    const gateway = new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl });
    const job = await runJob(await gateway.openSession({ name: "ods-rejected-it" }), wh, "ods_rejected", "BATCH", values);
    jobs.push(job.flinkJobId);
    await waitFinished(endpoints.flinkRestUrl, job.flinkJobId, 300_000);

    reader = await gateway.openSession({ name: "ods-rejected-it-reader" });
    for (const st of tableStatements(wh, ["ods_rejected"], values)) await reader.execute(st);
    const rows = await batchRows(reader, "SELECT event_id, reason, JSON_VALUE(violations, '$[0].rule_id'), event_index FROM ods_rejected ORDER BY event_index");
    expect(rows).toEqual([
      ["neg", "CONTRACT_VIOLATION", "int64.gte_lte", 1],
      ["mail", "CONTRACT_VIOLATION", "string.email", 2],
      ["unknown", "UNKNOWN_EVENT", null, 3],
    ]);
  });
});
