import { describe, expect, it } from "vitest";
import { bindParameters, findParameters } from "./sql-params.js";

describe("bindParameters", () => {
  it("binds typed literals and escapes strings", () => {
    const sql = bindParameters("SELECT * FROM ods_events WHERE event_name = :name AND event_time >= :from AND schema_id = :id", {
      name: { kind: { $case: "stringValue", value: "it's'; DROP TABLE x; --" } },
      from: { kind: { $case: "timestampValue", value: new Date("2026-11-25T10:00:00.5Z") } },
      id: { kind: { $case: "intValue", value: 42 } },
    });
    expect(sql).toBe(
      "SELECT * FROM ods_events WHERE event_name = 'it''s''; DROP TABLE x; --' AND event_time >= TIMESTAMP '2026-11-25 10:00:00.500' AND schema_id = CAST(42 AS BIGINT)",
    );
  });

  it("leaves :words inside strings, quoted names and comments alone", () => {
    expect(findParameters("SELECT ':a', `:b` -- :c\n/* :d */ FROM t WHERE x = :e").map((p) => p.name)).toEqual(["e"]);
  });

  it("renders every Value kind", () => {
    const v = (kind: object) => bindParameters("SELECT :p", { p: { kind } as never });
    expect(v({ $case: "nullValue", value: true })).toBe("SELECT NULL");
    expect(v({ $case: "boolValue", value: false })).toBe("SELECT FALSE");
    expect(v({ $case: "doubleValue", value: 1.5 })).toBe("SELECT CAST(1.5 AS DOUBLE)");
    expect(v({ $case: "decimalValue", value: "-12.340" })).toBe("SELECT (-12.340)");
    expect(v({ $case: "temporalTextValue", value: "2026-11-25" })).toBe("SELECT DATE '2026-11-25'");
    expect(v({ $case: "temporalTextValue", value: "10:11:12.5" })).toBe("SELECT TIME '10:11:12.5'");
    expect(v({ $case: "bytesValue", value: Buffer.from([1, 255]) })).toBe("SELECT X'01ff'");
    expect(v({ $case: "jsonValue", value: '{"a":"b\'c"}' })).toBe(`SELECT '{"a":"b''c"}'`);
  });

  it.each([
    ["a missing value", "SELECT :a", {}],
    ["an unused value", "SELECT 1", { a: { kind: { $case: "intValue", value: 1 } } }],
    ["a value with no kind", "SELECT :a", { a: {} }],
    ["a decimal that is not a number", "SELECT :a", { a: { kind: { $case: "decimalValue", value: "1); DROP" } } }],
    ["a temporal text that is not a date or time", "SELECT :a", { a: { kind: { $case: "temporalTextValue", value: "2026-11-25' OR '1" } } }],
    ["an infinite double", "SELECT :a", { a: { kind: { $case: "doubleValue", value: Infinity } } }],
  ])("refuses %s with PARAMETER_INVALID", (_what, sql, values) => {
    expect(() => bindParameters(sql, values as never)).toThrow(expect.objectContaining({ reason: "PARAMETER_INVALID" }));
  });
});

describe("string values with a backslash", () => {
  it("splice the backslash in as CHR(92), so no literal ends with \\' (issue 13, finding 1)", () => {
    expect(bindParameters("SELECT :p", { p: { kind: { $case: "stringValue", value: "x\\" } } })).toBe("SELECT ('x' || CHR(92) || '')");
    expect(bindParameters("SELECT :p", { p: { kind: { $case: "stringValue", value: "a\\'b" } } })).toBe("SELECT ('a' || CHR(92) || '''b')");
  });
});
