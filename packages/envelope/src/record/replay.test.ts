import { fromBinary } from "@bufbuild/protobuf";
import { EventHeaderSchema } from "@trackway/proto/es/event/v1";
import { Event, EventHeader } from "@trackway/proto/event/v1";
import { describe, expect, it } from "vitest";
import { propertiesFromJson } from "../properties.js";
import type { RejectedEventRecord } from "./rejected-record.js";
import { rejectedEventBytes } from "./rejected-bytes.js";
import { rebuildRejected as rebuildFrom, repairEvent, type ReplaySchemaLookup } from "./replay.js";

const rebuildRejected = (r: RejectedEventRecord) => {
  const b = rejectedEventBytes(r, undefined);
  return b.ok ? rebuildFrom(r, b) : undefined;
};

// A stand-in properties message: any message type does for the rebuild and the re-encoding.
const schemas: ReplaySchemaLookup = async (name, version) => {
  if (name !== "shop.page_viewed" || version === 7) throw new Error(`${name} v${version} is not registered`);
  return { version: version === 0 ? 2 : version, message: EventHeaderSchema, registry: undefined as never };
};
const sentAt = new Date("2026-12-01T10:00:00Z");
const record = (header: Partial<EventHeader>, properties: Uint8Array): RejectedEventRecord => ({
  tenant: "t",
  batch_id: "b",
  index: 0,
  reason: "UNKNOWN_SCHEMA_VERSION",
  reasons: ["UNKNOWN_SCHEMA_VERSION"],
  message: "no version 7",
  event_id: header.eventId,
  received_at: sentAt.getTime() + 5000,
  original: Buffer.from(Event.encode({ header: EventHeader.fromPartial({ ...header, sentAt }), properties: Buffer.from(properties) }).finish()).toString("base64"),
});

describe("rebuildRejected", () => {
  it("rebuilds the event with its time corrected by the clock skew ingest saw, and no sentAt", () => {
    const props = propertiesFromJson(EventHeaderSchema, { eventName: "inner" });
    const e = rebuildRejected(record({ eventId: "e1", eventName: "shop.page_viewed", schemaVersion: 7, eventTime: new Date("2026-12-01T09:59:00Z") }, props))!;
    expect(e.header.eventTime?.toISOString()).toBe("2026-12-01T09:59:05.000Z");
    expect(e.header.sentAt).toBeUndefined();
    expect(Buffer.from(e.properties)).toEqual(Buffer.from(props));
  });

  it("gives nothing for bytes that do not parse", () => {
    expect(rebuildRejected({ ...record({ eventId: "e2" }, new Uint8Array()), original: Buffer.from([0xff, 0xff, 0xff]).toString("base64") })).toBeUndefined();
  });
});

describe("repairEvent", () => {
  const props = propertiesFromJson(EventHeaderSchema, { eventName: "inner" });
  const e = rebuildRejected(record({ eventId: "e1", eventName: "shop.page_viewed", schemaVersion: 7 }, props))!;

  it("relabels properties whose own version is unknown for the newest version", async () => {
    const r = await repairEvent(e, {}, 0, schemas);
    expect(r.header.schemaVersion).toBe(2);
    expect(Buffer.from(r.properties)).toEqual(Buffer.from(props));
  });

  it("overwrites header fields and encodes new properties under the target version", async () => {
    const r = await repairEvent(e, { header: { schemaVersion: 1 }, properties: { eventName: "fixed" } }, undefined, schemas);
    expect(r.header.schemaVersion).toBe(1);
    expect(r.header.eventId).toBe("e1");
    expect(fromBinary(EventHeaderSchema, r.properties).eventName).toBe("fixed");
  });

  it("rejects a target schema that is not registered, and leaves an event without repairs as it was", async () => {
    await expect(repairEvent(e, { header: { eventName: "shop.unknown" } }, 0, schemas)).rejects.toThrow(/not registered/);
    expect(await repairEvent(e, {}, undefined, schemas)).toEqual(e);
  });
});
