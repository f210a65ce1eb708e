import { create, toBinary } from "@bufbuild/protobuf";
import { Event, EventBatch, EventHeader, type DeepPartial } from "@trackway/proto/event/v1";
import { EventSchema } from "@trackway/proto/es/event/v1";
import { IngestRequest } from "@trackway/proto/ingest/v1";
import { describe, expect, it } from "vitest";
import { orderCompletedDesc, shopSchemas, userSignedUpDesc } from "../../../../tests/fixtures/ingest/index.js";
import { hmacHasher } from "./pii-properties.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { checkBatch, processBatch, type BatchSource } from "./process-batch.js";
import { readRawBatchRequest } from "./raw-batch.js";
import type { EnrichedEvent } from "./enriched-event.js";
import type { RejectedEventRecord } from "./rejected-record.js";

const v1 = orderCompletedDesc(1);
const v2 = orderCompletedDesc(2);
const props = (init: Record<string, unknown>, desc = v1) => Buffer.from(toBinary(desc, create(desc, init)));

const source: BatchSource = { tenant: "acme", allowedEvents: undefined, receivedAt: Date.parse("2026-11-25T10:00:05.000Z"), clientIp: "10.0.0.7" };

function event(header: DeepPartial<EventHeader>, properties: Uint8Array = props({ orderId: "o-1", totalCents: 1999n, itemCount: 2 })): Event {
  return { header: EventHeader.fromPartial(header), properties: Buffer.from(properties) };
}

function rawOf(events: Event[], common: DeepPartial<EventHeader> = {}, extra: Uint8Array[] = []) {
  const batch = EventBatch.fromPartial({ batchId: "b-1", sentAt: new Date("2026-11-25T10:00:00.000Z"), common: EventHeader.fromPartial(common), events });
  const raw = readRawBatchRequest(IngestRequest.encode({ batch }).finish());
  raw.events.push(...extra);
  return raw;
}

const common = { eventName: "shop.order_completed", schemaVersion: 1, identity: { userId: "u-1" }, context: { app: { name: "shop-web" }, network: { wifi: false } } };

describe("processBatch", () => {
  it("accepts a valid event and writes the enriched JSON with the merged header and typed properties", async () => {
    const raw = rawOf([event({ eventId: "e-1", eventTime: new Date("2026-11-25T09:59:58.000Z"), attributes: { ab: "B" } })], common);
    const out = await processBatch(raw, source, { schemas: shopSchemas(), limits: DEFAULT_LIMITS });
    expect(out.result).toMatchObject({ batchId: "b-1", accepted: 1, rejected: 0, rejections: [] });
    expect(out.events).toHaveLength(1);
    const rec = JSON.parse(out.events[0]!.value) as EnrichedEvent;
    expect(rec).toEqual({
      event_id: "e-1",
      event_name: "shop.order_completed",
      schema_id: 101,
      schema_version: 1,
      tenant: "acme",
      // The client's clock is 5 s behind: sent 10:00:00 by its clock, received 10:00:05.
      event_time: Date.parse("2026-11-25T10:00:03.000Z"),
      event_date: "2026-11-25",
      client_event_time: Date.parse("2026-11-25T09:59:58.000Z"),
      sent_at: Date.parse("2026-11-25T10:00:00.000Z"),
      received_at: source.receivedAt,
      clock_skew_ms: 5000,
      batch_id: "b-1",
      identity_key: "u-1",
      user_id: "u-1",
      app_name: "shop-web",
      network_wifi: false,
      client_ip: "10.0.0.7",
      attributes: { ab: "B" },
      properties: { order_id: "o-1", total_cents: "1999", item_count: 2 },
    });
    expect(out.events[0]!.key).toBe("u-1");
    expect(out.events[0]!.headers).toEqual({ tenant: "acme", event_name: "shop.order_completed", schema_id: "101", schema_version: "1" });
  });

  it("gives events that set their own identity or context their own columns, and the others the batch's", async () => {
    const raw = rawOf(
      [
        event({ eventId: "e-1" }),
        event({ eventId: "e-2", identity: { userId: "u-2" }, context: { page: { path: "/p" } } }),
        event({ eventId: "e-3" }),
      ],
      common,
    );
    const out = await processBatch(raw, source, { schemas: shopSchemas(), limits: DEFAULT_LIMITS });
    const recs = out.events.map((e) => JSON.parse(e.value) as EnrichedEvent);
    expect(recs.map((r) => [r.event_id, r.user_id, r.app_name, r.page_path, r.network_wifi])).toEqual([
      ["e-1", "u-1", "shop-web", undefined, false],
      ["e-2", "u-2", "shop-web", "/p", false],
      ["e-3", "u-1", "shop-web", undefined, false],
    ]);
    expect(out.events.map((e) => e.key)).toEqual(["u-1", "u-2", "u-1"]);
  });

  it("resolves version 0 to the latest version", async () => {
    const raw = rawOf([event({ eventId: "e-1", schemaVersion: 0 }, props({ orderId: "o", currency: "EUR" }, v2))], { ...common, schemaVersion: 0 });
    const out = await processBatch(raw, source, { schemas: shopSchemas(), limits: DEFAULT_LIMITS });
    const rec = JSON.parse(out.events[0]!.value) as EnrichedEvent;
    expect([rec.schema_id, rec.schema_version, rec.properties.currency]).toEqual([102, 2, "EUR"]);
  });

  it("uses the receive time when the event has no time and keys an anonymous event by its id", async () => {
    const raw = rawOf([event({ eventId: "e-9", eventName: "shop.order_completed", schemaVersion: 1 })]);
    raw.sentAt = undefined;
    const out = await processBatch(raw, source, { schemas: shopSchemas(), limits: DEFAULT_LIMITS });
    const rec = JSON.parse(out.events[0]!.value) as EnrichedEvent;
    expect(rec.event_time).toBe(source.receivedAt);
    expect(rec.clock_skew_ms).toBeUndefined();
    expect(out.events[0]!.key).toBe("e-9");
  });

  it("rejects every kind of bad event with its reason and index, and keeps the good ones", async () => {
    const schemas = shopSchemas();
    schemas.add("shop.cart_viewed", { schemaId: 7, version: 1, lifecycle: "disabled", message: v1 });
    const raw = rawOf(
      [
        event({ eventId: "ok-1" }),
        event({ eventId: "" }),
        // An empty name inherits the common header's: this one is fine.
        event({ eventId: "ok-2", eventName: "" }),
        event({ eventId: "e-3", eventName: "Shop Order!" }),
        event({ eventId: "e-4", eventName: "shop.nope" }),
        event({ eventId: "e-5", schemaVersion: 9 }),
        event({ eventId: "e-6", eventName: "shop.cart_viewed" }),
        event({ eventId: "e-7" }, Buffer.from([0x0a, 0x05, 0x61])),
        event({ eventId: "e-8" }, props({ orderId: "o", currency: "EUR" }, v2)),
        event({ eventId: "x".repeat(200) }),
        event({ eventId: "e-10" }, Buffer.alloc(70_000, 0)),
      ],
      common,
      [Uint8Array.from([0x0a, 0xff])],
    );
    const out = await processBatch(raw, source, { schemas, limits: DEFAULT_LIMITS });
    expect(out.result.accepted).toBe(2);
    expect(out.result.rejections.map((r) => [r.index, r.reason])).toEqual([
      [1, "EVENT_ID_MISSING"],
      [3, "EVENT_NAME_INVALID"],
      [4, "UNKNOWN_EVENT"],
      [5, "UNKNOWN_SCHEMA_VERSION"],
      [6, "SCHEMA_VERSION_DISABLED"],
      [7, "PROPERTIES_INVALID"],
      [8, "PROPERTIES_UNKNOWN_FIELDS"],
      [9, "EVENT_ID_INVALID"],
      [10, "EVENT_TOO_LARGE"],
      [11, "EVENT_MALFORMED"],
    ]);
    expect(out.result.rejected).toBe(10);
    expect(out.rejected).toHaveLength(10);
    expect(out.rejectedByReason.get("UNKNOWN_EVENT")).toBe(1);
  });

  it("writes a rejected event with its original bytes, the batch's common bytes and the merged header", async () => {
    const bad = event({ eventId: "e-4", eventName: "shop.nope" });
    const raw = rawOf([bad], common);
    const out = await processBatch(raw, source, { schemas: shopSchemas(), limits: DEFAULT_LIMITS });
    const rec = JSON.parse(out.rejected[0]!.value) as RejectedEventRecord;
    expect(rec).toMatchObject({ tenant: "acme", batch_id: "b-1", index: 0, reason: "UNKNOWN_EVENT", reasons: ["UNKNOWN_EVENT"], event_id: "e-4", event_name: "shop.nope" });
    expect(Buffer.from(rec.original, "base64")).toEqual(Buffer.from(Event.encode(bad).finish()));
    expect(EventHeader.decode(Buffer.from(rec.common!, "base64")).identity?.userId).toBe("u-1");
    expect(EventHeader.fromJSON(rec.header).identity?.userId).toBe("u-1");
    expect(out.rejected[0]!.headers).toEqual({ tenant: "acme", reason: "UNKNOWN_EVENT", event_name: "shop.nope" });
  });

  it("lists every header problem of an event, the first as the main reason", async () => {
    const raw = rawOf([event({ eventId: "", eventName: "" })]);
    const out = await processBatch(raw, source, { schemas: shopSchemas(), limits: DEFAULT_LIMITS });
    expect((JSON.parse(out.rejected[0]!.value) as RejectedEventRecord).reasons).toEqual(["EVENT_ID_MISSING", "EVENT_NAME_MISSING"]);
  });

  it("rejects names the API key may not send", async () => {
    const raw = rawOf([event({ eventId: "e-1" })], common);
    const out = await processBatch(raw, { ...source, allowedEvents: new Set(["shop.cart_viewed"]) }, { schemas: shopSchemas(), limits: DEFAULT_LIMITS });
    expect(out.result.rejections[0]?.reason).toBe("EVENT_NOT_ALLOWED");
  });

  it("accepts a deprecated version with a warning on the result and the record", async () => {
    const schemas = shopSchemas();
    schemas.setLifecycle("shop.order_completed", 1, "deprecated");
    const out = await processBatch(rawOf([event({ eventId: "e-1" })], common), source, { schemas, limits: DEFAULT_LIMITS });
    expect(out.result.warnings).toEqual([{ index: 0, eventId: "e-1", reason: "SCHEMA_VERSION_DEPRECATED", message: expect.any(String), violations: [] }]);
    expect((JSON.parse(out.events[0]!.value) as EnrichedEvent).warnings).toEqual(["SCHEMA_VERSION_DEPRECATED"]);
  });

  it("asks the schema cache once per name and version in a batch", async () => {
    const schemas = shopSchemas();
    const events = Array.from({ length: 50 }, (_, i) => event({ eventId: `e-${i}` }));
    await processBatch(rawOf(events, common), source, { schemas, limits: DEFAULT_LIMITS });
    expect(schemas.calls).toBe(1);
  });

  it("lets a registry outage fail the batch rather than reject its events", async () => {
    const schemas = shopSchemas();
    schemas.failWith = new Error("registry down");
    await expect(processBatch(rawOf([event({ eventId: "e-1" })], common), source, { schemas, limits: DEFAULT_LIMITS })).rejects.toThrow("registry down");
  });
});

describe("processBatch: what the warehouse cannot hold", () => {
  /** Replaces the first occurrence of `marker`'s bytes by `bytes` (same length). */
  const patch = (buf: Uint8Array, marker: string, bytes: number[]): Uint8Array => {
    const hex = Buffer.from(buf).toString("hex");
    const at = hex.indexOf(Buffer.from(marker).toString("hex"));
    if (at < 0 || at % 2) throw new Error("marker not found");
    const out = Buffer.from(buf);
    out.set(bytes, at / 2);
    return out;
  };
  const encoded = (header: DeepPartial<EventHeader>) => Event.encode(event(header)).finish();

  it("rejects invalid UTF-8 in an event's header strings with INVALID_UTF8, not as U+FFFD", async () => {
    const bad = patch(encoded({ eventId: "e-QQ", identity: { userId: "ZZ" } }), "ZZ", [0xc3, 0x28]);
    const okay = encoded({ eventId: "e-ok", identity: { userId: "u-\uFFFD" } });
    const out = await processBatch(rawOf([], common, [bad, okay]), source, { schemas: shopSchemas(), limits: DEFAULT_LIMITS });
    expect(out.result.rejections).toEqual([expect.objectContaining({ index: 0, reason: "INVALID_UTF8" })]);
    expect(out.result.rejections[0]!.message).toContain("header.identity.user_id");
    expect(out.result.accepted).toBe(1);
  });

  it("rejects every event of a batch whose common header holds invalid UTF-8", async () => {
    const batch = EventBatch.fromPartial({ batchId: "b-2", common: EventHeader.fromPartial({ ...common, sessionId: "SS" }), events: [event({ eventId: "e-1" }), event({ eventId: "e-2" })] });
    const raw = readRawBatchRequest(patch(IngestRequest.encode({ batch }).finish(), "SS", [0xff, 0xff]));
    const out = await processBatch(raw, source, { schemas: shopSchemas(), limits: DEFAULT_LIMITS });
    expect(out.result.rejections.map((r) => r.reason)).toEqual(["INVALID_UTF8", "INVALID_UTF8"]);
    expect(out.result.rejections[0]!.message).toContain("common.session_id");
  });

  it("refuses a batch whose batch_id is not valid UTF-8", () => {
    const batch = EventBatch.fromPartial({ batchId: "BB", events: [event({ eventId: "e-1" })] });
    const raw = readRawBatchRequest(patch(IngestRequest.encode({ batch }).finish(), "BB", [0xc0, 0xaf]));
    expect(checkBatch(raw, DEFAULT_LIMITS)?.reason).toBe("INVALID_UTF8");
  });

  it("rejects out-of-range times with EVENT_TIME_OUT_OF_RANGE and clamps a far-future time with a stored warning", async () => {
    const raw = rawOf(
      [
        event({ eventId: "e-year1", eventTime: new Date("0001-01-01T00:00:00Z") }),
        event({ eventId: "e-sent1970", eventTime: new Date("2026-11-25T10:00:00Z"), sentAt: new Date(0) }),
        event({ eventId: "e-old", eventTime: new Date("1999-01-01T00:00:00Z") }),
      ],
      common,
      // seconds = 9e12: beyond any Date; ts-proto cannot even encode it, protobuf-es can.
      [toBinary(EventSchema, create(EventSchema, { header: { eventId: "e-huge", eventTime: { seconds: 9_000_000_000_000n } }, properties: props({ orderId: "o-1" }) }))],
    );
    const out = await processBatch(raw, source, { schemas: shopSchemas(), limits: DEFAULT_LIMITS });
    expect(out.result.rejections.map((r) => [r.eventId, r.reason])).toEqual([
      ["e-year1", "EVENT_TIME_OUT_OF_RANGE"],
      ["e-old", "EVENT_TIME_OUT_OF_RANGE"],
      ["e-huge", "EVENT_TIME_OUT_OF_RANGE"],
    ]);
    const rec = JSON.parse(out.events[0]!.value) as EnrichedEvent;
    expect(rec).toMatchObject({ event_id: "e-sent1970", event_time: source.receivedAt, event_date: "2026-11-25", sent_at: 0, warnings: ["EVENT_TIME_CLAMPED"] });
    expect(out.result.warnings).toEqual([expect.objectContaining({ eventId: "e-sent1970", reason: "EVENT_TIME_CLAMPED" })]);
  });
});

describe("checkBatch", () => {
  it("refuses a batch over the byte or event-count limit and an unreadable request", () => {
    const raw = rawOf([event({ eventId: "a" }), event({ eventId: "b" })], common);
    expect(checkBatch(raw, DEFAULT_LIMITS)).toBeUndefined();
    expect(checkBatch(raw, { ...DEFAULT_LIMITS, maxBatchEvents: 1 })?.reason).toBe("BATCH_TOO_MANY_EVENTS");
    expect(checkBatch(raw, { ...DEFAULT_LIMITS, maxBatchBytes: 10 })?.reason).toBe("BATCH_TOO_LARGE");
    expect(checkBatch(readRawBatchRequest(Uint8Array.from([0x0a, 0x09, 0x01])), DEFAULT_LIMITS)?.reason).toBe("BATCH_MALFORMED");
    expect(checkBatch(readRawBatchRequest(new Uint8Array(0)), DEFAULT_LIMITS)?.reason).toBe("BATCH_MALFORMED");
  });
});

describe("processBatch with a tenant's privacy settings", () => {
  it("applies the contract's PII marks and the tenant's header policy before building the Kafka records", async () => {
    const signup = userSignedUpDesc();
    const schemas = shopSchemas().add("shop.user_signed_up", { schemaId: 301, version: 1, lifecycle: "active", message: signup });
    const hash = hmacHasher(Buffer.from("salt-acme"));
    const privacy = { get: async () => ({ hash, header: { userId: "HASH" as const, anonymousId: "KEEP" as const, ip: "TRUNCATE" as const, userAgent: "DROP" as const, pageUrl: "KEEP" as const }, suppressed: new Set<string>() }) };
    const p = Buffer.from(toBinary(signup, create(signup, { email: "ann@example.com", phone: "5551234", passwordHint: "cat", plan: "pro" })));
    const raw = rawOf([event({ eventId: "e-1", eventName: "shop.user_signed_up", context: { userAgent: "curl/8", ip: "198.51.100.9" } }, p), event({ eventId: "e-2", eventName: "shop.order_completed" })], { ...common, eventName: "", schemaVersion: 0 });
    const out = await processBatch(raw, source, { schemas, limits: DEFAULT_LIMITS, privacy });
    expect(out.result.accepted).toBe(2);
    const [a, b] = out.events.map((e) => JSON.parse(e.value) as EnrichedEvent & Record<string, unknown>);
    expect(a!.properties).toEqual({ email: hash("ann@example.com"), phone: "***1234", plan: "pro", emails: [] });
    expect(a).toMatchObject({ user_id: hash("u-1"), identity_key: hash("u-1"), client_ip: "10.0.0.0", context_ip: "198.51.100.0" });
    expect(a!.user_agent).toBeUndefined();
    expect(out.events[0]!.key).toBe(hash("u-1"));
    expect(b).toMatchObject({ user_id: hash("u-1"), client_ip: "10.0.0.0", properties: { order_id: "o-1" } });
    expect(out.events.map((e) => e.value).join("")).not.toContain("ann@example.com");
    expect(out.events.map((e) => e.value).join("")).not.toContain('"u-1"');
  });

  it("applies the header policy to a rejected event's parsed header and client IP", async () => {
    const hash = hmacHasher(Buffer.from("salt-acme"));
    const privacy = { get: async () => ({ hash, header: { userId: "HASH" as const, anonymousId: "KEEP" as const, ip: "DROP" as const, userAgent: "KEEP" as const, pageUrl: "KEEP" as const }, suppressed: new Set<string>() }) };
    const raw = rawOf([event({ eventId: "e-1", eventName: "no.such_event" })], { ...common, eventName: "" });
    const out = await processBatch(raw, source, { schemas: shopSchemas(), limits: DEFAULT_LIMITS, privacy });
    const rec = JSON.parse(out.rejected[0]!.value) as RejectedEventRecord;
    expect(rec.reason).toBe("UNKNOWN_EVENT");
    expect(rec.header).toMatchObject({ identity: { userId: hash("u-1") } });
    expect(rec.client_ip).toBeUndefined();
  });

  it("rejects a suppressed user's events with USER_SUPPRESSED, keeping neither their bytes nor their id, and accepts the others", async () => {
    const privacy = { get: async () => ({ hash: hmacHasher(Buffer.from("s")), header: { userId: "KEEP" as const, anonymousId: "KEEP" as const, ip: "KEEP" as const, userAgent: "KEEP" as const, pageUrl: "KEEP" as const }, suppressed: new Set(["u-gone"]) }) };
    const raw = rawOf([event({ eventId: "e-1", identity: { userId: "u-gone", anonymousId: "a-gone" } }), event({ eventId: "e-2" })], common);
    const out = await processBatch(raw, source, { schemas: shopSchemas(), limits: DEFAULT_LIMITS, privacy });
    expect(out.result).toMatchObject({ accepted: 1, rejected: 1 });
    expect(out.result.rejections).toEqual([expect.objectContaining({ index: 0, eventId: "e-1", reason: "USER_SUPPRESSED" })]);
    const rec = JSON.parse(out.rejected[0]!.value) as RejectedEventRecord;
    expect(rec).toMatchObject({ reason: "USER_SUPPRESSED", original: "", event_id: "e-1" });
    expect(rec.common).toBeUndefined();
    expect(out.rejected[0]!.value).not.toContain("u-gone");
    expect(out.rejected[0]!.value).not.toContain("a-gone");
    expect(JSON.parse(out.events[0]!.value)).toMatchObject({ event_id: "e-2", user_id: "u-1" });
  });

  it("rejects events suppressed by anonymous or device id too, blanking every id in the record", async () => {
    const privacy = {
      get: async () => ({ hash: hmacHasher(Buffer.from("s")), header: { userId: "KEEP" as const, anonymousId: "KEEP" as const, ip: "KEEP" as const, userAgent: "KEEP" as const, pageUrl: "KEEP" as const }, suppressed: new Set<string>(), suppressedAnonymous: new Set(["a-gone"]), suppressedDevices: new Set(["d-gone"]) }),
    };
    const raw = rawOf([event({ eventId: "e-1", identity: { anonymousId: "a-gone" } }), event({ eventId: "e-2", identity: { userId: "u-9", deviceId: "d-gone" } }), event({ eventId: "e-3", identity: { anonymousId: "a-ok", deviceId: "d-ok" } })], common);
    const out = await processBatch(raw, source, { schemas: shopSchemas(), limits: DEFAULT_LIMITS, privacy });
    expect(out.result.rejections.map((r) => [r.eventId, r.reason])).toEqual([["e-1", "USER_SUPPRESSED"], ["e-2", "USER_SUPPRESSED"]]);
    const text = out.rejected.map((r) => r.value).join("");
    for (const s of ["a-gone", "d-gone", "u-9"]) expect(text).not.toContain(s);
    expect(JSON.parse(out.events[0]!.value)).toMatchObject({ event_id: "e-3", anonymous_id: "a-ok", device_id: "d-ok" });
  });
});
