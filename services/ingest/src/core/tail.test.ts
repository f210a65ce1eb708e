import { TailKind } from "@trackway/proto/ingest/v1";
import { describe, expect, it } from "vitest";
import { create, toBinary } from "@bufbuild/protobuf";
import { Event } from "@trackway/proto/event/v1";
import { orderCompletedDesc, shopSchemas } from "../../../../tests/fixtures/ingest/index.js";
import { rejectedPropertiesJson } from "./rejected-properties.js";
import { TailBuffer } from "./tail-buffer.js";
import { tailEventOf, tailFilter } from "./tail-filter.js";

const accepted = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ tenant: "acme", event_id: "e1", event_name: "shop.order_completed", schema_version: 2, user_id: "u1", properties: { order_id: "o" }, ...over });
const rejected = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ tenant: "acme", event_id: "e2", reason: "PROPERTIES_INVALID", reasons: ["PROPERTIES_INVALID"], message: "total_cents: must be > 0", header: { eventName: "shop.order_completed", schemaVersion: 1, identity: { userId: "u2" } }, ...over });

describe("tailEventOf", () => {
  it("shows accepted events only by default, with the record as written", () => {
    const f = tailFilter("acme", { eventNames: [], userId: "", kind: TailKind.TAIL_KIND_UNSPECIFIED });
    expect(tailEventOf(f, true, accepted())).toMatchObject({ accepted: true, eventId: "e1", eventName: "shop.order_completed", schemaVersion: 2, userId: "u1", reasons: [] });
    expect(tailEventOf(f, false, rejected())).toBeUndefined();
  });

  it("shows a rejected event's reasons, message and header fields", () => {
    const f = tailFilter("acme", { eventNames: [], userId: "", kind: TailKind.TAIL_KIND_REJECTED });
    expect(tailEventOf(f, false, rejected())).toMatchObject({ accepted: false, eventId: "e2", eventName: "shop.order_completed", schemaVersion: 1, userId: "u2", reasons: ["PROPERTIES_INVALID"], message: "total_cents: must be > 0" });
    expect(tailEventOf(f, true, accepted())).toBeUndefined();
  });

  it("never shows another tenant's event", () => {
    const f = tailFilter("acme", { eventNames: [], userId: "", kind: TailKind.TAIL_KIND_ALL });
    expect(tailEventOf(f, true, accepted({ tenant: "globex" }))).toBeUndefined();
    expect(tailEventOf(f, false, rejected({ tenant: "globex" }))).toBeUndefined();
  });

  it("filters by event name and user id on the server", () => {
    const f = tailFilter("acme", { eventNames: ["shop.page_viewed"], userId: "", kind: TailKind.TAIL_KIND_ALL });
    expect(tailEventOf(f, true, accepted())).toBeUndefined();
    expect(tailEventOf(f, true, accepted({ event_name: "shop.page_viewed" }))).toBeDefined();
    const byUser = tailFilter("acme", { eventNames: [], userId: "u2", kind: TailKind.TAIL_KIND_ALL });
    expect(tailEventOf(byUser, true, accepted())).toBeUndefined();
    expect(tailEventOf(byUser, false, rejected())).toBeDefined();
  });

  it("ignores a record that is not a JSON object", () => {
    const f = tailFilter("acme", { eventNames: [], userId: "", kind: TailKind.TAIL_KIND_ALL });
    expect(tailEventOf(f, true, "not json")).toBeUndefined();
    expect(tailEventOf(f, true, "[1]")).toBeUndefined();
  });
});

describe("TailBuffer", () => {
  it("drops the oldest items when full and tells the reader how many it lost", async () => {
    const b = new TailBuffer<number>(2);
    for (const i of [1, 2, 3, 4, 5]) b.push(i);
    b.close();
    const got: { item: number; droppedBefore: number }[] = [];
    for await (const x of b.drain()) got.push(x);
    expect(got).toEqual([
      { item: 4, droppedBefore: 3 },
      { item: 5, droppedBefore: 0 },
    ]);
    expect(b.droppedTotal).toBe(3);
  });

  it("wakes a waiting reader and ends when aborted", async () => {
    const b = new TailBuffer<number>(10);
    const abort = new AbortController();
    const got: number[] = [];
    const reading = (async () => {
      for await (const x of b.drain(abort.signal)) got.push(x.item);
    })();
    b.push(1);
    await new Promise((r) => setTimeout(r, 10));
    b.push(2);
    await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    await reading;
    expect(got).toEqual([1, 2]);
  });
});

describe("rejectedPropertiesJson", () => {
  const original = (properties: Uint8Array) => Buffer.from(Event.encode({ header: undefined, properties: Buffer.from(properties) }).finish()).toString("base64");
  const order = toBinary(orderCompletedDesc(1), create(orderCompletedDesc(1), { orderId: "o-9" } as never));

  it("decodes a rejected event's properties with the schema of its name and version", async () => {
    expect(JSON.parse(await rejectedPropertiesJson(shopSchemas(), { original: original(order) }, "shop.order_completed", 1))).toMatchObject({ order_id: "o-9" });
  });

  it("answers empty when the name or version is unknown or the bytes do not decode", async () => {
    expect(await rejectedPropertiesJson(shopSchemas(), { original: original(order) }, "shop.nope", 1)).toBe("");
    expect(await rejectedPropertiesJson(shopSchemas(), { original: original(order) }, "shop.order_completed", 9)).toBe("");
    expect(await rejectedPropertiesJson(shopSchemas(), { original: "!!not base64 protobuf" }, "shop.order_completed", 1)).toBe("");
    expect(await rejectedPropertiesJson(shopSchemas(), {}, "shop.order_completed", 1)).toBe("");
  });

  it("never opens a sealed record's bytes", async () => {
    expect(await rejectedPropertiesJson(shopSchemas(), { original: original(order), protection: "sealed" }, "shop.order_completed", 1)).toBe("");
  });
});
