import { describe, expect, it } from "vitest";
import { packRecords, unpackRecords } from "./record-pack.js";

describe("packRecords", () => {
  it("round-trips keys, UTF-8 values and header sets, sharing each set", () => {
    const records = [
      { key: "u-1", value: '{"a":"é"}', headers: { tenant: "acme", event_name: "x" } },
      { key: null, value: "{}", headers: { tenant: "acme", event_name: "x" } },
      { key: "u-2", value: '{"b":"日本"}', headers: { tenant: "acme", event_name: "y" } },
    ];
    const packed = packRecords(records);
    expect(packed.headerSets).toHaveLength(2);
    const back = unpackRecords(structuredClone(packed, { transfer: [packed.buffer] }));
    expect(back.map((r) => [r.key, r.value.toString("utf8"), r.headers.event_name?.toString()])).toEqual([
      ["u-1", '{"a":"é"}', "x"],
      [null, "{}", "x"],
      ["u-2", '{"b":"日本"}', "y"],
    ]);
    expect(back[0]!.headers).toBe(back[1]!.headers);
  });
});
