import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { create, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { status, type ServiceError } from "@grpc/grpc-js";
import { UnaryTransport } from "@trackway/client";
import { repoRoot } from "@trackway/stack";
import { Event, EventBatch, EventHeader, type DeepPartial } from "@trackway/proto/event/v1";
import { Lifecycle } from "@trackway/proto/registry/v1";
import type { RunningIngest } from "@trackway/ingest";
import { ORDER_COMPLETED_V1_SOURCE } from "../../fixtures/ingest/index.js";
import { reasonOf } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngestWorld, ingestWorld, readTopic } from "../../support/index.js";

const run = promisify(execFile);
let w: IngestWorld;
let ingest: RunningIngest;
beforeAll(async () => {
  w = await ingestWorld();
  ingest = await w.startIngest({ TRACKWAY_INGEST_MAX_EVENT_BYTES: 4096, TRACKWAY_INGEST_MAX_BATCH_EVENTS: 50, TRACKWAY_INGEST_MAX_BATCH_BYTES: 64 * 1024 });
  await w.registry.client.registerSchema({ subject: "shop.cart_viewed", protoSource: ORDER_COMPLETED_V1_SOURCE, messageName: "shop.v1.OrderCompleted", author: "it" });
  await w.registry.client.setLifecycle({ subject: "shop.cart_viewed", version: 1, lifecycle: Lifecycle.LIFECYCLE_DISABLED, actor: "it" });
});
afterAll(() => w?.stop());

const v1 = () => Buffer.from(toBinary(w.orderV1, create(w.orderV1, { orderId: "o-1", itemCount: 1 })));
const v2 = () => Buffer.from(toBinary(w.orderV2, create(w.orderV2, { orderId: "o-2", currency: "EUR" })));

/** An encoded SendBatchRequest, with extra raw event bytes appended as further `events` entries. */
function request(batch: EventBatch, rawEvents: Uint8Array[] = []): Uint8Array {
  const writer = EventBatch.encode(batch);
  for (const raw of rawEvents) writer.uint32((4 << 3) | 2).bytes(raw);
  return new BinaryWriter().uint32((1 << 3) | 2).bytes(writer.finish()).finish();
}

const batchOf = (id: string, events: DeepPartial<{ header: EventHeader; properties: Buffer }>[], common: DeepPartial<EventHeader> = { eventName: "shop.order_completed", schemaVersion: 1, identity: { userId: "u-1" } }) =>
  EventBatch.fromPartial({ batchId: id, sentAt: new Date(), common, events });

const send = (bytes: Uint8Array, key = w.apiKey) => new UnaryTransport({ address: ingest.address, apiKey: key, compression: "gzip" }).send(bytes, 10_000);

describe("rejected events", () => {
  const expected: Record<string, string> = {};

  it("are each reported in the batch result with their index and reason, the good ones accepted", async () => {
    const id = "x".repeat(200);
    const batch = batchOf("rej-1", [
      { header: { eventId: "ok-1" }, properties: v1() },
      { header: { eventId: "" }, properties: v1() },
      { header: { eventId: id }, properties: v1() },
      { header: { eventId: "bad-name", eventName: "Shop Order!" }, properties: v1() },
      { header: { eventId: "unknown-event", eventName: "shop.nope" }, properties: v1() },
      { header: { eventId: "unknown-version", schemaVersion: 9 }, properties: v1() },
      { header: { eventId: "disabled", eventName: "shop.cart_viewed" }, properties: v1() },
      { header: { eventId: "props-invalid" }, properties: Buffer.from([0x0a, 0x05, 0x61]) },
      { header: { eventId: "props-unknown" }, properties: v2() },
      { header: { eventId: "too-large" }, properties: Buffer.concat([v1(), Buffer.alloc(5000)]) },
    ]);
    const result = await send(request(batch, [Uint8Array.from([0x0a, 0xff])]));
    expect(result.accepted).toBe(1);
    expect(result.rejections.map((r) => [r.index, r.eventId, r.reason])).toEqual([
      [1, "", "EVENT_ID_MISSING"],
      [2, id, "EVENT_ID_INVALID"],
      [3, "bad-name", "EVENT_NAME_INVALID"],
      [4, "unknown-event", "UNKNOWN_EVENT"],
      [5, "unknown-version", "UNKNOWN_SCHEMA_VERSION"],
      [6, "disabled", "SCHEMA_VERSION_DISABLED"],
      [7, "props-invalid", "PROPERTIES_INVALID"],
      [8, "props-unknown", "PROPERTIES_UNKNOWN_FIELDS"],
      [9, "too-large", "EVENT_TOO_LARGE"],
      [10, "", "EVENT_MALFORMED"],
    ]);
    for (const r of result.rejections) expected[`rej-1#${r.index}`] = r.reason;

    const noName = await send(request(batchOf("rej-2", [{ header: { eventId: "no-name" }, properties: v1() }], {})));
    expect(noName.rejections.map((r) => r.reason)).toEqual(["EVENT_NAME_MISSING"]);
    expected["rej-2#0"] = "EVENT_NAME_MISSING";

    const { key: limited } = await w.keys.create({ tenant: "acme", allowedEvents: ["shop.cart_viewed"] });
    const notAllowed = await send(request(batchOf("rej-3", [{ header: { eventId: "not-allowed" }, properties: v1() }])), limited);
    expect(notAllowed.rejections.map((r) => r.reason)).toEqual(["EVENT_NOT_ALLOWED"]);
    expected["rej-3#0"] = "EVENT_NOT_ALLOWED";
  });

  it("are on the rejected topic with their reasons, original bytes and merged header", async () => {
    const records = await readTopic(w.brokers, w.topics.rejected, (r) => r.length >= Object.keys(expected).length);
    const byPlace = Object.fromEntries(records.map((r) => [`${r.value.batch_id as string}#${r.value.index as number}`, r]));
    expect(Object.fromEntries(Object.keys(expected).map((k) => [k, byPlace[k]?.value.reason]))).toEqual(expected);
    const unknown = byPlace["rej-1#4"]!;
    expect(unknown.headers).toMatchObject({ tenant: "acme", reason: "UNKNOWN_EVENT", event_name: "shop.nope" });
    expect(unknown.value).toMatchObject({ tenant: "acme", reasons: ["UNKNOWN_EVENT"], event_id: "unknown-event", client_ip: "127.0.0.1" });
    expect(EventHeader.fromJSON(unknown.value.header).identity?.userId).toBe("u-1");
    const sentBytes = Event.encode(Event.fromPartial({ header: { eventId: "unknown-event", eventName: "shop.nope" }, properties: v1() })).finish();
    expect(Buffer.from(unknown.value.original as string, "base64")).toEqual(Buffer.from(sentBytes));
    const malformed = byPlace["rej-1#10"]!.value;
    expect(Buffer.from(malformed.original as string, "base64")).toEqual(Buffer.from([0x0a, 0xff]));
    expect(malformed.header).toBeUndefined();
  });

  it("refuses whole batches over the limits, or unreadable, with a status and reason", async () => {
    const many = batchOf("many", Array.from({ length: 51 }, (_, i) => ({ header: { eventId: `m-${i}` }, properties: v1() })));
    const e1 = (await send(request(many)).catch((e: unknown) => e)) as ServiceError;
    expect([e1.code, reasonOf(e1)]).toEqual([status.INVALID_ARGUMENT, "BATCH_TOO_MANY_EVENTS"]);
    const big = batchOf("big", Array.from({ length: 20 }, (_, i) => ({ header: { eventId: `b-${i}` }, properties: Buffer.concat([v1(), Buffer.alloc(4000)]) })));
    const e2 = (await send(request(big)).catch((e: unknown) => e)) as ServiceError;
    expect([e2.code, reasonOf(e2)]).toEqual([status.RESOURCE_EXHAUSTED, "BATCH_TOO_LARGE"]);
    const e3 = (await send(Uint8Array.from([0x0a, 0x09, 0x01])).catch((e: unknown) => e)) as ServiceError;
    expect([e3.code, reasonOf(e3)]).toEqual([status.INVALID_ARGUMENT, "BATCH_MALFORMED"]);
  });

  it("accepts a deprecated version with a warning once the registry says so (Watch)", async () => {
    await w.registry.client.setLifecycle({ subject: "shop.order_completed", version: 1, lifecycle: Lifecycle.LIFECYCLE_DEPRECATED, actor: "it" });
    let warnings: string[] = [];
    for (let i = 0; i < 50 && warnings.length === 0; i++) {
      const r = await send(request(batchOf(`dep-${i}`, [{ header: { eventId: `dep-${i}` }, properties: v1() }])));
      expect(r.accepted).toBe(1);
      warnings = r.warnings.map((x) => x.reason);
      if (warnings.length === 0) await new Promise((res) => setTimeout(res, 100));
    }
    expect(warnings).toEqual(["SCHEMA_VERSION_DEPRECATED"]);
  });

  it("can be repaired and replayed with trackway events replay, keeping their ids", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "replay-"));
    const fixes = path.join(dir, "fixes.json");
    await writeFile(fixes, JSON.stringify({ "unknown-event": { header: { eventName: "shop.order_completed" } } }));
    const cli = (args: string[]) =>
      run("node", ["packages/cli/bin/trackway.js", "events", "replay", "--address", ingest.address, "--registry", w.registry.registry.address, "--brokers", w.brokers.join(","), "--topic", w.topics.rejected, ...args], {
        cwd: repoRoot,
        env: { ...process.env, TRACKWAY_API_KEY: w.apiKey },
      });
    const relabelled = await cli(["--reason", "UNKNOWN_SCHEMA_VERSION", "--to-version", "latest"]);
    expect(JSON.parse(relabelled.stdout)).toMatchObject({ sent: 1, accepted: 1 });
    const renamed = await cli(["--reason", "UNKNOWN_EVENT", "--fixes", fixes]);
    expect(JSON.parse(renamed.stdout)).toMatchObject({ sent: 1, accepted: 1 });
    const records = await readTopic(w.brokers, w.topics.events, (r) => ["unknown-version", "unknown-event"].every((id) => r.some((x) => x.value.event_id === id)));
    const replayed = records.filter((r) => ["unknown-version", "unknown-event"].includes(r.value.event_id as string));
    expect(replayed.map((r) => [r.value.event_id, r.value.schema_version, r.value.user_id]).sort()).toEqual([
      ["unknown-event", 1, "u-1"],
      ["unknown-version", 2, "u-1"],
    ]);
    // Nothing repairs a disabled version by relabelling it: it stays rejected and the command says so.
    const still = await cli(["--reason", "SCHEMA_VERSION_DISABLED"]).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect((still as { code: number }).code).toBe(1);
    expect((still as { stderr: string }).stderr).toContain("SCHEMA_VERSION_DISABLED");
  });
});
