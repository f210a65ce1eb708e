import { describe, expect, it } from "vitest";
import { rejectedEventBytes } from "./rejected-bytes.js";
import { rejectionSummary, type RejectedEventRecord } from "./rejected-record.js";
import { sealOriginal, type DataKey } from "./sealed.js";

const key: DataKey = { id: "0f8fad5b-d9cb-469f-a165-70867728950e", key: Buffer.alloc(32, 5) };
const record: RejectedEventRecord = {
  tenant: "acme", batch_id: "b", index: 0, reason: "UNKNOWN_EVENT", reasons: ["UNKNOWN_EVENT"], message: "m", received_at: 1, event_name: "x.y",
  original: sealOriginal(key, "acme", Buffer.from("event"), Buffer.from("common")), protection: "sealed", key_id: key.id, header: { identity: { userId: "h" } },
};

describe("the rejected-record contract", () => {
  it("summarises a record without its bytes or header, keeping how it is protected", () => {
    expect(rejectionSummary(record)).toEqual({ tenant: "acme", reason: "UNKNOWN_EVENT", reasons: ["UNKNOWN_EVENT"], message: "m", received_at: 1, event_name: "x.y", protection: "sealed" });
  });

  it("gives readers the event bytes whatever the protection: opened with the key, or as stored", () => {
    expect(rejectedEventBytes(record, key)).toEqual({ ok: true, original: Buffer.from("event"), common: Buffer.from("common") });
    expect(rejectedEventBytes(record, undefined)).toEqual({ ok: false, reason: "KEY_UNAVAILABLE" });
    const plain = { ...record, protection: undefined, original: Buffer.from("event").toString("base64"), common: Buffer.from("c").toString("base64") };
    expect(rejectedEventBytes(plain, undefined)).toEqual({ ok: true, original: Buffer.from("event"), common: Buffer.from("c") });
  });
});
