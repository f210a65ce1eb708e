import { create, toBinary } from "@bufbuild/protobuf";
import { UnaryTransport } from "@trackway/client";
import type { RunningIngest } from "@trackway/ingest";
import { EventBatch, type EventHeader, type DeepPartial } from "@trackway/proto/event/v1";
import type { BatchResult } from "@trackway/proto/ingest/v1";
import { IngestRequest } from "@trackway/proto/ingest/v1";
import { EventUse, UsageRestriction } from "@trackway/proto/registry/v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORDER_COMPLETED_V1_SOURCE } from "../../fixtures/ingest/index.js";
import { ingestWorld, readTopic, type IngestWorld } from "../../support/index.js";

// Send restrictions on a real registry, ingest and Kafka: a tenant that may not send a type gets each such event
// rejected with EVENT_TYPE_NOT_GRANTED, and a change in the registry holds at ingest within moments (Watch).
let w: IngestWorld;
let ingest: RunningIngest;
let web: string;
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const restricted = { subject: "shop.order_completed", use: EventUse.EVENT_USE_SEND };

beforeAll(async () => {
  w = await ingestWorld();
  await w.registry.client.registerSchema({ subject: "sg.page_seen", protoSource: ORDER_COMPLETED_V1_SOURCE, messageName: "shop.v1.OrderCompleted", author: "it" });
  ingest = await w.startIngest();
  web = (await w.keys.create({ tenant: `sg-web-${run}`, name: "it" })).key;
});
afterAll(() => w?.stop());

const props = () => Buffer.from(toBinary(w.orderV1, create(w.orderV1, { orderId: "o-1", itemCount: 1 })));
const send = (id: string, events: DeepPartial<EventHeader>[], key = w.apiKey): Promise<BatchResult> =>
  new UnaryTransport({ address: ingest.address, apiKey: key, compression: "none" }).send(
    IngestRequest.encode({
      batch: EventBatch.fromPartial({ batchId: id, sentAt: new Date(), common: { schemaVersion: 1, identity: { userId: "u-1" } }, events: events.map((header) => ({ header, properties: props() })) }),
    }).finish(),
    10_000,
  );
const reasons = (r: BatchResult) => r.rejections.map((x) => [x.index, x.eventId, x.reason]);

/** Sends one order until `done` holds (the registry's change reached ingest); how long it took, ms. */
async function until(done: (r: BatchResult) => boolean, tag: string): Promise<number> {
  const start = Date.now();
  for (let i = 0; ; i++) {
    if (done(await send(`${tag}-${i}`, [{ eventId: `${tag}-${i}`, eventName: "shop.order_completed" }]))) return Date.now() - start;
    if (Date.now() - start > 10_000) throw new Error(`ingest did not follow the registry's change within 10 s (${tag})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("send grants at ingest", () => {
  it("let every tenant send every type while nothing is restricted", async () => {
    const r = await send("open-1", [{ eventId: "open-1", eventName: "shop.order_completed" }]);
    expect(r).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it("reject, per event, the types a tenant may not send with EVENT_TYPE_NOT_GRANTED, within moments of the restriction", async () => {
    await w.registry.client.setUsageRestriction({ restriction: UsageRestriction.fromPartial({ ...restricted, tenants: [`sg-web-${run}`] }) });
    const ms = await until((r) => r.rejected === 1, "closing");
    expect(ms).toBeLessThan(5000);
    const mixed = await send("mixed", [
      { eventId: "m-0", eventName: "shop.order_completed" },
      { eventId: "m-1", eventName: "sg.page_seen" },
      { eventId: "m-2", eventName: "shop.order_completed" },
    ]);
    expect(mixed.accepted).toBe(1);
    expect(reasons(mixed)).toEqual([
      [0, "m-0", "EVENT_TYPE_NOT_GRANTED"],
      [2, "m-2", "EVENT_TYPE_NOT_GRANTED"],
    ]);
    // The message names neither the owner nor the tenants allowed.
    expect(mixed.rejections[0]!.message).not.toContain("registry-it");
    expect(mixed.rejections[0]!.message).not.toContain("sg-web");
  });

  it("accept the type from a listed tenant and from the subject's owner", async () => {
    expect(await send("web-1", [{ eventId: "web-1", eventName: "shop.order_completed" }], web)).toMatchObject({ accepted: 1, rejected: 0 });
    const owner = (await w.keys.create({ tenant: "registry-it", name: "it" })).key;
    expect(await send("own-1", [{ eventId: "own-1", eventName: "shop.order_completed" }], owner)).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it("put each refused event on the rejected topic with its reason, header and original bytes", async () => {
    const records = await readTopic(w.brokers, w.topics.rejected, (r) => ["m-0", "m-2"].every((id) => r.some((x) => x.value.event_id === id)));
    const m0 = records.find((x) => x.value.event_id === "m-0")!;
    expect(m0.headers).toMatchObject({ tenant: "acme", reason: "EVENT_TYPE_NOT_GRANTED", event_name: "shop.order_completed" });
    expect(m0.value).toMatchObject({ tenant: "acme", reasons: ["EVENT_TYPE_NOT_GRANTED"], batch_id: "mixed", index: 0 });
    expect(typeof m0.value.original).toBe("string");
  });

  it("follow a prefix restriction and its removal", async () => {
    await w.registry.client.clearUsageRestriction({ restriction: UsageRestriction.fromPartial(restricted) });
    await until((r) => r.accepted === 1, "reopened");
    await w.registry.client.setUsageRestriction({ restriction: UsageRestriction.fromPartial({ prefix: "shop.", use: EventUse.EVENT_USE_SEND, tenants: [] }) });
    await until((r) => r.rejected === 1, "prefix");
    expect(await send("prefix-web", [{ eventId: "prefix-web", eventName: "shop.order_completed" }, { eventId: "prefix-other", eventName: "sg.page_seen" }], web)).toMatchObject({ accepted: 1, rejected: 1 });
  });
});
