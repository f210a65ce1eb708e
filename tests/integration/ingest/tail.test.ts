import { randomUUID } from "node:crypto";
import { status } from "@grpc/grpc-js";
import { UnaryTransport } from "@trackway/client";
import { propertiesBytes, createProperties } from "@trackway/envelope";
import type { RunningIngest } from "@trackway/ingest";
import { EventBatch } from "@trackway/proto/event/v1";
import { IngestRequest, IngestServiceClient, TailKind, type TailEvent, type TailResponse } from "@trackway/proto/ingest/v1";
import { createPromiseClient, reasonOf } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestWorldWithIngest, type IngestWorld } from "../../support/index.js";

// Real ingest on the shared Kafka with topics of this file's own; tenants named per run.
let w: IngestWorld;
let ingest: RunningIngest;
let otherKey: string;
const other = `tail-other-${randomUUID().slice(0, 8)}`;
beforeAll(async () => {
  ({ w, ingest } = await ingestWorldWithIngest());
  otherKey = (await w.keys.create({ tenant: other, name: "tail-it" })).key;
});
afterAll(() => w?.stop());

/** Sends events of `shop.order_completed` (valid ids) and of an unknown name (rejected) with `key`; returns their ids. */
async function send(key: string, accepted: number, rejected: number): Promise<{ accepted: string[]; rejected: string[] }> {
  const ids = { accepted: Array.from({ length: accepted }, () => randomUUID()), rejected: Array.from({ length: rejected }, () => randomUUID()) };
  const properties = Buffer.from(propertiesBytes(w.orderV1, createProperties(w.orderV1, { orderId: "o-tail", totalCents: 1234n })));
  const events = [
    ...ids.accepted.map((eventId) => ({ header: { eventId, eventName: "shop.order_completed", schemaVersion: 1, identity: { userId: "u-tail" } }, properties })),
    ...ids.rejected.map((eventId) => ({ header: { eventId, eventName: "shop.not_registered", schemaVersion: 1 }, properties })),
  ];
  const bytes = IngestRequest.encode({ batch: EventBatch.fromPartial({ batchId: randomUUID(), events }) }).finish();
  const result = await new UnaryTransport({ address: ingest.address, apiKey: key, compression: "none" }).send(bytes, 10_000);
  expect(result.accepted).toBe(accepted);
  return ids;
}

/** Opens a tail and resolves once it is positioned; `events` fills as they arrive, with their arrival time. */
async function openTail(key: string, req: Parameters<ReturnType<typeof tailClient>["tail"]>[0]) {
  const client = tailClient(key);
  const abort = new AbortController();
  const events: { event: TailEvent; at: number }[] = [];
  const stream = client.tail(req, { signal: abort.signal })[Symbol.asyncIterator]();
  const first = await stream.next();
  expect((first.value as TailResponse | undefined)?.kind?.$case).toBe("ready");
  const done = (async () => {
    for (let m = await stream.next(); !m.done; m = await stream.next()) if (m.value.kind?.$case === "event") events.push({ event: m.value.kind.value, at: Date.now() });
  })();
  return {
    events,
    /** Waits until `n` events arrived (or 20 s), then a little longer for any that should not come. */
    async settle(n: number) {
      for (let i = 0; i < 200 && events.length < n; i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1500));
      abort.abort();
      await done;
      client.close();
    },
  };
}
const tailClient = (key: string) => createPromiseClient(IngestServiceClient, ingest.address, { metadata: { "x-api-key": key } });

describe("Tail", () => {
  it("started before sending, sees every accepted and rejected event of its tenant within a second, and none of another tenant's", async () => {
    const tail = await openTail(w.apiKey, { kind: TailKind.TAIL_KIND_ALL });
    const sentAt = Date.now();
    const mine = await send(w.apiKey, 3, 2);
    const theirs = await send(otherKey, 2, 1);
    await tail.settle(5);

    const seen = tail.events.map((e) => e.event);
    expect(seen.filter((e) => e.accepted).map((e) => e.eventId).sort()).toEqual([...mine.accepted].sort());
    expect(seen.filter((e) => !e.accepted).map((e) => e.eventId).sort()).toEqual([...mine.rejected].sort());
    const foreign = new Set([...theirs.accepted, ...theirs.rejected]);
    expect(seen.filter((e) => foreign.has(e.eventId))).toEqual([]);
    // Decoded with the registered schema: the enriched record carries the properties as JSON.
    const accepted = seen.find((e) => e.accepted)!;
    expect(accepted).toMatchObject({ eventName: "shop.order_completed", schemaVersion: 1, userId: "u-tail", droppedBefore: 0 });
    expect(JSON.parse(accepted.recordJson).properties).toMatchObject({ order_id: "o-tail", total_cents: "1234" });
    expect(JSON.parse(accepted.propertiesJson)).toMatchObject({ order_id: "o-tail", total_cents: "1234" });
    // An unknown event name has no schema to decode its properties with.
    expect(seen.find((e) => !e.accepted)).toMatchObject({ reasons: ["UNKNOWN_EVENT"], eventName: "shop.not_registered", propertiesJson: "" });
    const slowest = Math.max(...tail.events.map((e) => e.at - sentAt));
    console.info(`tail: ${seen.length} events, the last ${slowest} ms after the send started`);
    expect(slowest).toBeLessThan(1000);
  });

  it("filters on the server: accepted only by default, by event name and by user", async () => {
    const byDefault = await openTail(w.apiKey, {});
    const byName = await openTail(w.apiKey, { kind: TailKind.TAIL_KIND_ALL, eventNames: ["shop.not_registered"] });
    const byUser = await openTail(w.apiKey, { kind: TailKind.TAIL_KIND_ALL, userId: "nobody" });
    const sent = await send(w.apiKey, 2, 1);
    await Promise.all([byDefault.settle(2), byName.settle(1), byUser.settle(0)]);
    expect(byDefault.events.map((e) => e.event.eventId).sort()).toEqual([...sent.accepted].sort());
    expect(byName.events.map((e) => e.event.eventId)).toEqual(sent.rejected);
    expect(byUser.events).toEqual([]);
  });

  it("refuses a caller without a valid key", async () => {
    const client = tailClient("twk_not_a_key");
    const err = await (async () => {
      for await (const m of client.tail({})) void m;
    })().catch((e: unknown) => e);
    client.close();
    expect(err).toMatchObject({ code: status.UNAUTHENTICATED });
    expect(reasonOf(err)).toBe("API_KEY_INVALID");
  });
});
