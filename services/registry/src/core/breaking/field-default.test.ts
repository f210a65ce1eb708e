import { ScalarType } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { defaultsEqual, fieldDefault, isZeroDefault } from "./field-default.js";

const noEnum = () => 0;
const d = (t: ScalarType | "enum", text?: string) => fieldDefault(t, text, (name) => (name === "HIGH" ? 2 : 1));

describe("field defaults as buf compares them", () => {
  it("compares numbers across integer types exactly, and float with double at 32 bits", () => {
    expect(defaultsEqual(d(ScalarType.INT32, "7"), d(ScalarType.INT64, "7"))).toBe(true);
    expect(defaultsEqual(d(ScalarType.INT64, "9223372036854775807"), d(ScalarType.DOUBLE, "9223372036854775807"))).toBe(false);
    expect(defaultsEqual(d(ScalarType.FLOAT, "0.1"), d(ScalarType.DOUBLE, "0.1"))).toBe(true);
    expect(defaultsEqual(d(ScalarType.DOUBLE, "nan"), d(ScalarType.FLOAT, "nan"))).toBe(true);
    expect(defaultsEqual(d(ScalarType.BOOL, "true"), d(ScalarType.INT32, "1"))).toBe(true);
  });

  it("never equates a string with a number, but equates string and bytes with the same content", () => {
    expect(defaultsEqual(d(ScalarType.STRING, "5"), d(ScalarType.INT32, "5"))).toBe(false);
    expect(defaultsEqual(d(ScalarType.STRING, "hé"), d(ScalarType.BYTES, "h\\303\\251"))).toBe(true);
  });

  it("defaults an enum to its first value and knows zero values (-0.0 is not zero, as in Go)", () => {
    expect(d("enum").v).toBe(1n);
    expect(d("enum", "HIGH").v).toBe(2n);
    expect(isZeroDefault(fieldDefault(ScalarType.INT32, undefined, noEnum))).toBe(true);
    expect(isZeroDefault(d(ScalarType.DOUBLE, "-0"))).toBe(false);
    expect(isZeroDefault(d(ScalarType.STRING))).toBe(true);
  });
});
