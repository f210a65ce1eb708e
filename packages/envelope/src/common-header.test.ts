import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { EventBatchSchema, EventHeaderSchema } from "@trackway/proto/es/event/v1";
import { EventBatch, EventHeader } from "@trackway/proto/event/v1";
import { describe, expect, it } from "vitest";
import { expandCommon, identityKey } from "./common-header.js";

const common: EventHeader = EventHeader.fromPartial({
  sentAt: new Date("2026-11-25T10:00:00.000Z"),
  identity: { userId: "u-1", deviceId: "d-1" },
  sessionId: "s-1",
  context: {
    app: { name: "shop-web", version: "3.2.1" },
    locale: "en-GB",
    library: { name: "@trackway/client", version: "0.1.0" },
    network: { wifi: true },
  },
  attributes: { region: "eu", plan: "pro" },
});

const own: EventHeader = EventHeader.fromPartial({
  eventId: "e-1",
  eventName: "shop.product_viewed",
  schemaVersion: 2,
  eventTime: new Date("2026-11-25T09:59:58.123Z"),
  identity: { anonymousId: "a-9" },
  context: { locale: "fr-FR", page: { path: "/p/42" }, network: { wifi: false } },
  attributes: { plan: "free", ab: "B" },
});

/**
 * Protobuf's own merge: decoding common's bytes followed by the event header's bytes. Decoded by
 * @bufbuild/protobuf, which merges a repeated sub-message as the spec says (ts-proto's decoder replaces it).
 */
const wireMerge = (a: EventHeader, b: EventHeader): EventHeader => {
  const merged = fromBinary(EventHeaderSchema, Buffer.concat([EventHeader.encode(a).finish(), EventHeader.encode(b).finish()]));
  return EventHeader.decode(toBinary(EventHeaderSchema, merged));
};

describe("expandCommon", () => {
  it("keeps the event's own field when the batch header sets it too", () => {
    expect(expandCommon(common, own).context?.locale).toBe("fr-FR");
  });

  it("inherits fields the event leaves unset, down nested messages", () => {
    const h = expandCommon(common, own);
    expect(h.sessionId).toBe("s-1");
    expect(h.context?.app).toEqual({ name: "shop-web", version: "3.2.1", build: "", namespace: "" });
    expect(h.identity).toEqual({ userId: "u-1", anonymousId: "a-9", deviceId: "d-1" });
    expect(h.sentAt).toEqual(common.sentAt);
  });

  it("merges attributes by key, the event's value winning", () => {
    expect(expandCommon(common, own).attributes).toEqual({ region: "eu", plan: "free", ab: "B" });
  });

  it("treats an explicit false on an optional field as a value", () => {
    expect(expandCommon(common, own).context?.network?.wifi).toBe(false);
  });

  it("gives exactly protobuf's wire merge of common then event", () => {
    expect(expandCommon(common, own)).toEqual(wireMerge(common, own));
    expect(expandCommon(own, common)).toEqual(wireMerge(own, common));
    expect(expandCommon(EventHeader.fromPartial({}), own)).toEqual(wireMerge(EventHeader.fromPartial({}), own));
  });

  it("returns the event's header when the batch has no common header", () => {
    expect(expandCommon(undefined, own)).toBe(own);
  });
});

describe("identityKey", () => {
  it("prefers user id, then anonymous id, then device id", () => {
    expect(identityKey(EventHeader.fromPartial({ identity: { anonymousId: "a", deviceId: "d" } }))).toBe("a");
    expect(identityKey(expandCommon(common, own))).toBe("u-1");
    expect(identityKey(EventHeader.fromPartial({}))).toBe("");
  });
});

describe("EventBatch encoding", () => {
  const batch = EventBatch.fromPartial({
    batchId: "b-1",
    sentAt: new Date("2026-11-25T10:00:00.000Z"),
    common,
    events: [{ header: own, properties: Buffer.from([0x0a, 0x02, 0x34, 0x32]) }],
  });

  it("round-trips through the wire format", () => {
    const decoded = EventBatch.decode(EventBatch.encode(batch).finish());
    expect(decoded).toEqual(batch);
  });

  it("decodes identically with @bufbuild/protobuf's runtime descriptors", () => {
    const es = fromBinary(EventBatchSchema, EventBatch.encode(batch).finish());
    expect(es.batchId).toBe("b-1");
    expect(es.common?.attributes).toEqual({ region: "eu", plan: "pro" });
    expect(es.events[0]?.header?.eventName).toBe("shop.product_viewed");
    expect(es.events[0]?.header?.context?.network?.wifi).toBe(false);
    expect(Array.from(es.events[0]?.properties ?? [])).toEqual([0x0a, 0x02, 0x34, 0x32]);
    expect(Number(es.events[0]?.header?.eventTime?.seconds)).toBe(Date.parse("2026-11-25T09:59:58Z") / 1000);
    expect(es.events[0]?.header?.eventTime?.nanos).toBe(123_000_000);
  });
});
