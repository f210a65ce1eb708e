import { EventBatch, EventHeader, type DeepPartial } from "@trackway/proto/event/v1";
import { IngestRequest } from "@trackway/proto/ingest/v1";
import { create, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { orderCompletedDesc, shopSchemas } from "../../../../tests/fixtures/ingest/index.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { processBatch } from "./process-batch.js";
import { readRawBatchRequest } from "./raw-batch.js";
import type { RejectedEventRecord } from "./rejected-record.js";
import type { SendGrants } from "./usage-grants.js";

const v1 = orderCompletedDesc(1);
const properties = Buffer.from(toBinary(v1, create(v1, { orderId: "o-1", totalCents: 1n, itemCount: 1 })));
const rawOf = (headers: DeepPartial<EventHeader>[]) =>
  readRawBatchRequest(
    IngestRequest.encode({
      batch: EventBatch.fromPartial({
        batchId: "b-1",
        sentAt: new Date("2026-11-25T10:00:00.000Z"),
        common: { schemaVersion: 1, identity: { userId: "u-1" } },
        events: headers.map((h) => ({ header: EventHeader.fromPartial(h), properties })),
      }),
    }).finish(),
  );
const source = (tenant: string) => ({ tenant, allowedEvents: undefined, receivedAt: Date.parse("2026-11-25T10:00:05.000Z"), clientIp: undefined });

/** Only "shop-web" may send shop.order_completed; counts ready() and maySend() calls. */
function grants(): SendGrants & { calls: { ready: number; maySend: number } } {
  const calls = { ready: 0, maySend: 0 };
  return {
    calls,
    ready: async () => void calls.ready++,
    maySend: (name, tenant) => (calls.maySend++, name !== "shop.order_completed" || tenant === "shop-web"),
  };
}

describe("processBatch with send grants", () => {
  it("rejects each event of a type the tenant may not send with EVENT_TYPE_NOT_GRANTED, never dropping it", async () => {
    const g = grants();
    const raw = rawOf([
      { eventId: "e-1", eventName: "shop.order_completed" },
      { eventId: "e-2", eventName: "shop.order_completed" },
    ]);
    const out = await processBatch(raw, source("mobile"), { schemas: shopSchemas(), limits: DEFAULT_LIMITS, sendGrants: g });
    expect(out.result).toMatchObject({ accepted: 0, rejected: 2 });
    expect(out.result.rejections.map((r) => [r.index, r.eventId, r.reason])).toEqual([
      [0, "e-1", "EVENT_TYPE_NOT_GRANTED"],
      [1, "e-2", "EVENT_TYPE_NOT_GRANTED"],
    ]);
    const rec = JSON.parse(out.rejected[0]!.value) as RejectedEventRecord;
    expect(rec).toMatchObject({ tenant: "mobile", reasons: ["EVENT_TYPE_NOT_GRANTED"], event_name: "shop.order_completed" });
    expect(out.rejected[0]!.headers).toMatchObject({ tenant: "mobile", reason: "EVENT_TYPE_NOT_GRANTED" });
    // One readiness check per batch, one lookup per event.
    expect(g.calls).toEqual({ ready: 1, maySend: 2 });
  });

  it("accepts the same events from a granted tenant", async () => {
    const out = await processBatch(rawOf([{ eventId: "e-1", eventName: "shop.order_completed" }]), source("shop-web"), {
      schemas: shopSchemas(),
      limits: DEFAULT_LIMITS,
      sendGrants: grants(),
    });
    expect(out.result).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it("propagates a registry failure of the grants so that the whole batch is retried", async () => {
    const failing: SendGrants = { ready: () => Promise.reject(new Error("registry down")), maySend: () => true };
    await expect(processBatch(rawOf([{ eventId: "e-1", eventName: "shop.order_completed" }]), source("shop-web"), { schemas: shopSchemas(), limits: DEFAULT_LIMITS, sendGrants: failing })).rejects.toThrow("registry down");
  });
});
