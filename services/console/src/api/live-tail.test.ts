import { TailKind, TailEvent } from "@trackway/proto/ingest/v1";
import { describe, expect, it } from "vitest";
import { liveEvent, tailRequest } from "./live-tail.js";

describe("the Live page's tail request", () => {
  it("reads names (comma separated), user and outcome; both outcomes by default", () => {
    expect(tailRequest(new URLSearchParams("event=shop.a, shop.b,&user=u1&kind=rejected"))).toEqual({ eventNames: ["shop.a", "shop.b"], userId: "u1", kind: TailKind.TAIL_KIND_REJECTED, bufferSize: 0 });
    expect(tailRequest(new URLSearchParams("")).kind).toBe(TailKind.TAIL_KIND_ALL);
  });

  it("refuses an unknown outcome with BAD_REQUEST", () => {
    expect(() => tailRequest(new URLSearchParams("kind=some"))).toThrow(/kind must be accepted, rejected or all/);
  });
});

describe("a tail event as the page gets it", () => {
  it("parses the record and properties, and keeps text that is not JSON as text", () => {
    const e = liveEvent(TailEvent.fromPartial({ accepted: true, eventId: "e1", recordJson: '{"a":1}', propertiesJson: '{"sku":"X"}', droppedBefore: 3 }), 5);
    expect(e).toMatchObject({ accepted: true, eventId: "e1", record: { a: 1 }, properties: { sku: "X" }, droppedBefore: 3, seenAt: 5 });
    expect(liveEvent(TailEvent.fromPartial({ recordJson: "not json" }), 0)).toMatchObject({ record: "not json", properties: null });
  });
});
