import { EventHeader, type DeepPartial } from "@trackway/proto/event/v1";
import { describe, expect, it } from "vitest";
import { expandCommon } from "./common-header.js";
import { extractCommon } from "./extract-common.js";

const h = (x: DeepPartial<EventHeader>) => EventHeader.fromPartial(x);
const roundTrip = (headers: EventHeader[]) => {
  const { common, events } = extractCommon(headers);
  // What ingest sees after decoding: the encoded and decoded slim headers.
  const decoded = events.map((e) => EventHeader.decode(EventHeader.encode(e).finish()));
  const c = common && EventHeader.decode(EventHeader.encode(common).finish());
  return decoded.map((e) => expandCommon(c, e));
};

const base = {
  eventName: "shop.order_completed",
  schemaVersion: 2,
  sentAt: new Date("2026-11-25T10:00:00Z"),
  identity: { userId: "u-1", deviceId: "d-1" },
  sessionId: "s-1",
  context: { app: { name: "shop-web", version: "3.2.1" }, locale: "en-GB", network: { wifi: false }, library: { name: "@trackway/client", version: "0.1.0" } },
  attributes: { region: "eu", plan: "pro" },
};

describe("extractCommon", () => {
  it("moves fields equal in every event into common and clears them from the events", () => {
    const headers = [
      h({ ...base, eventId: "e-1", eventTime: new Date("2026-11-25T09:59:00Z") }),
      h({ ...base, eventId: "e-2", eventTime: new Date("2026-11-25T09:59:01Z"), attributes: { region: "eu", plan: "free" } }),
    ];
    const { common, events } = extractCommon(headers);
    expect(common).toMatchObject({ eventName: "shop.order_completed", schemaVersion: 2, sessionId: "s-1", identity: { userId: "u-1", deviceId: "d-1" }, attributes: { region: "eu" } });
    expect(common?.context?.network?.wifi).toBe(false);
    expect(common?.eventId).toBe("");
    expect(events[0]).toMatchObject({ eventId: "e-1", eventName: "", schemaVersion: 0, sessionId: "", identity: undefined, context: undefined, attributes: { plan: "pro" } });
    expect(events[1]?.attributes).toEqual({ plan: "free" });
  });

  it("gives every original header back through ingest's merge", () => {
    const headers = [
      h({ ...base, eventId: "e-1", eventTime: new Date(1) }),
      h({ ...base, eventId: "e-2", eventTime: new Date(2), identity: { userId: "u-2", deviceId: "d-1" }, context: { ...base.context, page: { path: "/a" } } }),
      h({ ...base, eventId: "e-3", eventTime: new Date(3), sessionId: "", context: { ...base.context, network: { wifi: true } } }),
    ];
    expect(roundTrip(headers)).toEqual(headers);
  });

  it("keeps a field set in only some events in those events", () => {
    const headers = [h({ ...base, eventId: "a" }), h({ ...base, eventId: "b", sessionId: "" })];
    const { common, events } = extractCommon(headers);
    expect(common?.sessionId).toBe("");
    expect(events[0]?.sessionId).toBe("s-1");
    expect(roundTrip(headers)).toEqual(headers);
  });

  it("extracts nothing from a single event", () => {
    const one = [h({ ...base, eventId: "a" })];
    expect(extractCommon(one)).toEqual({ common: undefined, events: one });
  });

  it("makes a batch of similar events much smaller on the wire", () => {
    const headers = Array.from({ length: 100 }, (_, i) => h({ ...base, eventId: `e-${i}`, eventTime: new Date(1000 + i) }));
    const { common, events } = extractCommon(headers);
    const size = (xs: EventHeader[]) => xs.reduce((n, x) => n + EventHeader.encode(x).finish().length, 0);
    expect(size(events) + size([common!])).toBeLessThan(size(headers) * 0.35);
  });
});
