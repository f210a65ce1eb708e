import { create } from "@bufbuild/protobuf";
import { status } from "@grpc/grpc-js";
import { expandCommon } from "@trackway/envelope";
import { PageSchema } from "@trackway/proto/es/event/v1";
import { IngestRequest, type BatchResult } from "@trackway/proto/ingest/v1";
import type { EventBatch } from "@trackway/proto/event/v1";
import { describe, expect, it } from "vitest";
import { createClient } from "./client.js";
import type { DropInfo, RetryInfo } from "./hooks.js";
import type { ClientOptions } from "./options.js";
import { grpcError, type BatchTransport } from "./transport.js";

/** A transport that records batches and answers from a script (default: accept all). */
class FakeTransport implements BatchTransport {
  batches: EventBatch[] = [];
  concurrent = 0;
  maxConcurrent = 0;
  closed = false;
  script: ((b: EventBatch, n: number) => Error | undefined)[] = [];
  delayMs = 0;

  async send(request: Uint8Array): Promise<BatchResult> {
    const batch = IngestRequest.decode(request).batch!;
    this.batches.push(batch);
    this.concurrent += 1;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent);
    try {
      if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
      const err = this.script.shift()?.(batch, this.batches.length);
      if (err) throw err;
      return { batchId: batch.batchId, accepted: batch.events.length, rejected: 0, rejections: [], warnings: [] };
    } finally {
      this.concurrent -= 1;
    }
  }

  close(): void {
    this.closed = true;
  }
}

const fast = { initialBackoffMs: 1, maxBackoffMs: 5, maxAttempts: 4 };

function setup(extra: Partial<ClientOptions> = {}) {
  const transport = new FakeTransport();
  const drops: DropInfo[] = [];
  const retries: RetryInfo[] = [];
  const client = createClient(
    {
      address: "unused:1",
      apiKey: "twk_test",
      schemas: [PageSchema],
      identity: { userId: "u-1" },
      context: { app: { name: "shop-web" } },
      flushIntervalMs: 60_000,
      backoff: fast,
      hooks: { onDrop: (d) => drops.push(d), onRetry: (r) => retries.push(r) },
      ...extra,
    },
    transport,
  );
  return { client, transport, drops, retries };
}

const page = (path: string) => create(PageSchema, { path });
const ids = (b: EventBatch) => b.events.map((e) => expandCommon(b.common, e.header).eventId);

describe("TrackwayClient", () => {
  it("sends full batches by count and the rest on flush", async () => {
    const { client, transport } = setup({ maxBatchEvents: 3 });
    for (let i = 0; i < 7; i++) client.track("shop.page_viewed", page(`/p/${i}`));
    await client.flush();
    expect(transport.batches.map((b) => b.events.length)).toEqual([3, 3, 1]);
  });

  it("sends a partial batch after the flush interval", async () => {
    const { client, transport } = setup({ flushIntervalMs: 20 });
    client.track("shop.page_viewed", page("/a"));
    expect(transport.batches).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(transport.batches).toHaveLength(1);
  });

  it("sends a batch once its bytes reach the limit", async () => {
    const { client, transport } = setup({ maxBatchBytes: 300 });
    for (let i = 0; i < 3; i++) client.track("shop.page_viewed", page("/" + "x".repeat(100)));
    await new Promise((r) => setTimeout(r, 10));
    expect(transport.batches.length).toBeGreaterThanOrEqual(1);
  });

  it("sends shared header fields once in common, and ingest's merge restores each event", async () => {
    const { client, transport } = setup();
    client.track("shop.page_viewed", page("/a"), { attributes: { ab: "A" } });
    client.track("shop.page_viewed", page("/b"), { attributes: { ab: "B" } });
    await client.flush();
    const b = transport.batches[0]!;
    expect(b.common?.identity?.userId).toBe("u-1");
    expect(b.common?.eventName).toBe("shop.page_viewed");
    expect(b.common?.context?.library?.name).toBe("@trackway/client");
    expect(b.events[0]?.header?.identity).toBeUndefined();
    const merged = b.events.map((e) => expandCommon(b.common, e.header));
    expect(merged.map((h) => [h.identity?.userId, h.attributes.ab, h.context?.app?.name])).toEqual([
      ["u-1", "A", "shop-web"],
      ["u-1", "B", "shop-web"],
    ]);
  });

  it("encodes protobuf-es messages with the schema given, and refuses a type it does not know", async () => {
    const { client, transport } = setup();
    client.track("shop.page_viewed", page("/x"));
    client.track("shop.raw", Uint8Array.from([0x0a, 0x01, 0x79]));
    await client.flush();
    expect(transport.batches[0]!.events.map((e) => [...e.properties])).toEqual([[0x0a, 0x02, 0x2f, 0x78], [0x0a, 0x01, 0x79]]);
    expect(() => client.track("x", { $typeName: "nope.Unknown" } as never)).toThrow(/no schema for nope.Unknown/);
  });

  it("retries UNAVAILABLE with the same event ids and reports each retry", async () => {
    const { client, transport, retries } = setup();
    transport.script = [() => grpcError(status.UNAVAILABLE, "down", "KAFKA_UNAVAILABLE"), () => grpcError(status.DEADLINE_EXCEEDED, "slow")];
    client.track("shop.page_viewed", page("/a"));
    client.track("shop.page_viewed", page("/b"));
    await client.flush();
    expect(transport.batches).toHaveLength(3);
    expect(new Set(transport.batches.map((b) => ids(b).join()))).toHaveProperty("size", 1);
    expect(new Set(transport.batches.map((b) => b.batchId))).toHaveProperty("size", 1);
    expect(retries.map((r) => [r.attempt, r.reason])).toEqual([
      [1, "KAFKA_UNAVAILABLE"],
      [2, undefined],
    ]);
  });

  it("gives up after maxAttempts and reports the events dropped", async () => {
    const { client, transport, drops } = setup();
    transport.script = Array.from({ length: 10 }, () => () => grpcError(status.UNAVAILABLE, "down"));
    const id = client.track("shop.page_viewed", page("/a"));
    await client.flush();
    expect(transport.batches).toHaveLength(4);
    expect(drops).toEqual([{ reason: "RETRIES_EXHAUSTED", eventIds: [id], code: status.UNAVAILABLE, message: "down" }]);
  });

  it("does not retry what cannot succeed", async () => {
    const { client, transport, drops } = setup();
    transport.script = [() => grpcError(status.UNAUTHENTICATED, "bad key", "API_KEY_INVALID")];
    client.track("shop.page_viewed", page("/a"));
    await client.flush();
    expect(transport.batches).toHaveLength(1);
    expect(drops[0]).toMatchObject({ reason: "API_KEY_INVALID", code: status.UNAUTHENTICATED });
  });

  it("splits a batch the server finds too large and sends both halves", async () => {
    const { client, transport, drops } = setup();
    transport.script = [() => grpcError(status.RESOURCE_EXHAUSTED, "too big", "BATCH_TOO_LARGE")];
    for (let i = 0; i < 5; i++) client.track("shop.page_viewed", page(`/${i}`));
    await client.flush();
    expect(transport.batches.map((b) => b.events.length)).toEqual([5, 3, 2]);
    expect(drops).toEqual([]);
  });

  it("keeps at most maxInFlightBatches batches in flight", async () => {
    const { client, transport } = setup({ maxBatchEvents: 1, maxInFlightBatches: 2 });
    transport.delayMs = 5;
    for (let i = 0; i < 10; i++) client.track("shop.page_viewed", page(`/${i}`));
    await client.flush();
    expect(transport.batches).toHaveLength(10);
    expect(transport.maxConcurrent).toBe(2);
  });

  it("drops new events when the queue is full (drop-newest) and says so", async () => {
    const { client, drops } = setup({ maxQueueEvents: 2, maxInFlightBatches: 1, maxBatchEvents: 100 });
    expect(client.track("shop.page_viewed", page("/1"))).toBeDefined();
    expect(client.track("shop.page_viewed", page("/2"))).toBeDefined();
    expect(client.track("shop.page_viewed", page("/3"))).toBeUndefined();
    expect(drops).toMatchObject([{ reason: "QUEUE_FULL" }]);
  });

  it("drains on close, then drops events tracked after it", async () => {
    const { client, transport, drops } = setup();
    client.track("shop.page_viewed", page("/a"));
    await client.close();
    expect(transport.batches).toHaveLength(1);
    expect(transport.closed).toBe(true);
    expect(client.track("shop.page_viewed", page("/b"))).toBeUndefined();
    expect(drops).toMatchObject([{ reason: "CLIENT_CLOSED" }]);
  });

  it("gives up what is unsent when close runs out of time", async () => {
    const { client, transport, drops } = setup({ backoff: { initialBackoffMs: 1000, maxBackoffMs: 1000, maxAttempts: 100 } });
    transport.script = Array.from({ length: 100 }, () => () => grpcError(status.UNAVAILABLE, "down"));
    const id = client.track("shop.page_viewed", page("/a"));
    await client.close(50);
    await new Promise((r) => setTimeout(r, 1100));
    expect(drops).toEqual([{ reason: "CLOSE_TIMEOUT", eventIds: [id] }]);
  });

  it("stamps each attempt with its own sent_at", async () => {
    const { client, transport } = setup({ backoff: { initialBackoffMs: 30, maxBackoffMs: 30, maxAttempts: 3 } });
    transport.script = [() => grpcError(status.UNAVAILABLE, "down")];
    client.track("shop.page_viewed", page("/a"), { eventTime: new Date(0) });
    await client.flush();
    const [a, b] = transport.batches;
    expect(b!.sentAt!.getTime()).toBeGreaterThanOrEqual(a!.sentAt!.getTime());
    expect(expandCommon(b!.common, b!.events[0]!.header).eventTime?.getTime()).toBe(0);
  });
});
