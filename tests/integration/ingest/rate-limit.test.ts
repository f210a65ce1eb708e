import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { create, toBinary } from "@bufbuild/protobuf";
import { status, type ServiceError } from "@grpc/grpc-js";
import { createClient, UnaryTransport, type RetryInfo } from "@trackway/client";
import type { RunningIngest } from "@trackway/ingest";
import { EventBatch } from "@trackway/proto/event/v1";
import { IngestRequest } from "@trackway/proto/ingest/v1";
import { reasonOf } from "@trackway/runtime";
import { repoRoot } from "@trackway/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestWorld, type IngestWorld } from "../../support/index.js";

let w: IngestWorld;
let ingest: RunningIngest;
beforeAll(async () => {
  w = await ingestWorld();
  // Every key without its own limit: 10 events per second.
  ingest = await w.startIngest({ TRACKWAY_INGEST_KEY_EVENTS_PER_SECOND: 10 });
  // The first batch also warms the schema cache; later ones take milliseconds, so buckets barely refill between them.
  await send((await w.keys.create({ tenant: "rl-warm-up" })).key, 1);
});
afterAll(() => w?.stop());

let seq = 0;
function batchOf(n: number): Uint8Array {
  const events = Array.from({ length: n }, () => {
    const id = `rl-${seq++}-${Date.now()}`;
    return { header: { eventId: id }, properties: Buffer.from(toBinary(w.orderV1, create(w.orderV1, { orderId: id }))) };
  });
  return IngestRequest.encode({ batch: EventBatch.fromPartial({ batchId: `b-${seq}`, common: { eventName: "shop.order_completed", schemaVersion: 1 }, events }) }).finish();
}
const send = (key: string, n: number): Promise<{ code: string; reason?: string; retryAfterMs?: number }> =>
  new UnaryTransport({ address: ingest.address, apiKey: key, compression: "none" }).send(batchOf(n), 5000).then(
    () => ({ code: "OK" }),
    (e: ServiceError) => ({ code: status[e.code], reason: reasonOf(e), retryAfterMs: Number(e.metadata.get("grpc-retry-pushback-ms")[0]) }),
  );

describe("per-key rate limits at ingest", () => {
  it("refuse a key over its events/s with RESOURCE_EXHAUSTED, RATE_LIMITED and a retry-after hint", async () => {
    const { key } = await w.keys.create({ tenant: "rl-a" });
    expect(await send(key, 10)).toEqual({ code: "OK" });
    const refused = await send(key, 5);
    expect(refused).toMatchObject({ code: "RESOURCE_EXHAUSTED", reason: "RATE_LIMITED" });
    expect(refused.retryAfterMs).toBeGreaterThan(100);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(500);
    // Another key has a bucket of its own.
    expect(await send((await w.keys.create({ tenant: "rl-a" })).key, 10)).toEqual({ code: "OK" });
  });

  it("apply a key's own limits over the default: bytes/s, or none at all", async () => {
    const unlimited = await w.keys.create({ tenant: "rl-b", rateLimits: { eventsPerSecond: 0 } });
    for (let i = 0; i < 3; i++) expect(await send(unlimited.key, 20)).toEqual({ code: "OK" });
    const byBytes = await w.keys.create({ tenant: "rl-b", rateLimits: { eventsPerSecond: 0, bytesPerSecond: 400 } });
    expect(await send(byBytes.key, 5)).toEqual({ code: "OK" });
    expect(await send(byBytes.key, 5)).toMatchObject({ code: "RESOURCE_EXHAUSTED", reason: "RATE_LIMITED" });
  });

  it("are honoured by the SDK: it waits as told and every event gets in, none dropped", async () => {
    const { key } = await w.keys.create({ tenant: "rl-sdk" });
    const retries: RetryInfo[] = [];
    let accepted = 0;
    let dropped = 0;
    const client = createClient({
      address: ingest.address,
      apiKey: key,
      schemas: [w.orderV1],
      maxBatchEvents: 10,
      maxInFlightBatches: 1,
      backoff: { initialBackoffMs: 10, maxBackoffMs: 20, maxAttempts: 8 },
      hooks: { onRetry: (r) => retries.push(r), onBatchSent: (b) => (accepted += b.result.accepted), onDrop: (d) => (dropped += d.eventIds.length) },
    });
    const started = Date.now();
    for (let i = 0; i < 30; i++) client.track("shop.order_completed", create(w.orderV1, { orderId: `sdk-${i}` }), { version: 1 });
    await client.close();
    expect({ accepted, dropped }).toEqual({ accepted: 30, dropped: 0 });
    // 30 events at 10/s: the first 10 at once, then about a second per 10 more.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    const limited = retries.filter((r) => r.reason === "RATE_LIMITED");
    expect(limited.length).toBeGreaterThan(0);
    // The backoff alone would wait at most 20 ms; the SDK waited what ingest asked.
    expect(Math.min(...limited.map((r) => r.delayMs))).toBeGreaterThan(100);
  });

  it("are set per key by trackway keys create", async () => {
    const { stdout } = await promisify(execFile)(
      "node",
      ["packages/cli/bin/trackway.js", "keys", "create", "--tenant", "rl-cli", "--events-per-second", "7", "--bytes-per-second", "0", "--json", "--database-url", w.databaseUrl],
      { cwd: repoRoot },
    );
    expect((JSON.parse(stdout) as { rateLimits: unknown }).rateLimits).toEqual({ eventsPerSecond: 7, bytesPerSecond: 0 });
  });
});
