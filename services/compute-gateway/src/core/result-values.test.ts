import { describe, expect, it } from "vitest";
import { parseLossless, stringifyLossless } from "@trackway/flink";
import { toValue, typeText, type LogicalTypeJson } from "./result-values.js";

describe("parseLossless", () => {
  it("keeps every digit of numbers JSON.parse would round", () => {
    const v = parseLossless('{"a":[12345678901234567891, 0.10000000000000000001, -1e3, "x\\"y", true, null], "b":{}}');
    expect(stringifyLossless(v)).toBe('{"a":[12345678901234567891,0.10000000000000000001,-1e3,"x\\"y",true,null],"b":{}}');
  });

  it("refuses broken JSON", () => {
    expect(() => parseLossless('{"a":1')).toThrow(SyntaxError);
    expect(() => parseLossless("[1] x")).toThrow(SyntaxError);
  });
});

describe("typeText", () => {
  const t = (type: LogicalTypeJson) => typeText(type);
  it("writes types as Flink DDL does", () => {
    expect(t({ type: "VARCHAR", nullable: false, length: 2147483647 })).toBe("STRING NOT NULL");
    expect(t({ type: "TIMESTAMP_WITHOUT_TIME_ZONE", nullable: true, precision: 3 })).toBe("TIMESTAMP(3)");
    expect(t({ type: "TIMESTAMP_WITH_LOCAL_TIME_ZONE", precision: 3 })).toBe("TIMESTAMP_LTZ(3)");
    expect(t({ type: "DECIMAL", precision: 10, scale: 2 })).toBe("DECIMAL(10, 2)");
    expect(t({ type: "MAP", keyType: { type: "VARCHAR", length: 2147483647 }, valueType: { type: "BIGINT", nullable: false } })).toBe("MAP<STRING, BIGINT NOT NULL>");
    expect(t({ type: "ROW", fields: [{ name: "a", fieldType: { type: "INTEGER" } }] })).toBe("ROW<`a` INT>");
  });
});

describe("toValue", () => {
  const cells = parseLossless('["e1", 12, 1.5, 12345678901234567.891, "2026-11-25T10:00:00.123", "2026-11-25T10:00:00.123Z", {"k":"v"}, ["W1"], "AQI=", "2026-01-02", true, null]');
  const types: LogicalTypeJson[] = [
    { type: "VARCHAR" }, { type: "BIGINT" }, { type: "DOUBLE" }, { type: "DECIMAL", precision: 20, scale: 3 },
    { type: "TIMESTAMP_WITHOUT_TIME_ZONE" }, { type: "TIMESTAMP_WITH_LOCAL_TIME_ZONE" }, { type: "MAP" }, { type: "ARRAY" },
    { type: "BINARY" }, { type: "DATE" }, { type: "BOOLEAN" }, { type: "BIGINT" },
  ];
  it("maps each cell to the Value kind of its type", () => {
    const values = (cells as never[]).map((c, i) => toValue(c, types[i]!).kind);
    expect(values).toEqual([
      { $case: "stringValue", value: "e1" },
      { $case: "intValue", value: 12 },
      { $case: "doubleValue", value: 1.5 },
      { $case: "decimalValue", value: "12345678901234567.891" },
      { $case: "timestampValue", value: new Date("2026-11-25T10:00:00.123Z") },
      { $case: "timestampValue", value: new Date("2026-11-25T10:00:00.123Z") },
      { $case: "jsonValue", value: '{"k":"v"}' },
      { $case: "jsonValue", value: '["W1"]' },
      { $case: "bytesValue", value: Buffer.from([1, 2]) },
      { $case: "temporalTextValue", value: "2026-01-02" },
      { $case: "boolValue", value: true },
      { $case: "nullValue", value: true },
    ]);
  });
});
