import { describe, expect, it } from "vitest";
import { toCell } from "./cells.js";

describe("toCell", () => {
  it("keeps the kind of each typed value", () => {
    expect(toCell({ kind: { $case: "intValue", value: 42 } })).toEqual({ k: "int", v: 42 });
    expect(toCell({ kind: { $case: "decimalValue", value: "1.10" } })).toEqual({ k: "decimal", v: "1.10" });
    expect(toCell({ kind: { $case: "timestampValue", value: new Date("2026-11-30T10:00:00Z") } })).toEqual({ k: "timestamp", v: "2026-11-30T10:00:00.000Z" });
    expect(toCell({ kind: { $case: "bytesValue", value: Buffer.from("hi") } })).toEqual({ k: "bytes", v: "aGk=" });
  });

  it("turns SQL NULL and a missing value into null", () => {
    expect(toCell({ kind: { $case: "nullValue", value: true } })).toBeNull();
    expect(toCell(undefined)).toBeNull();
  });
});
