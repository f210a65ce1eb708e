import { create, createFileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema, FieldDescriptorProto_Label as Label, FieldDescriptorProto_Type as Type } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { breakingChanges, checkCompatibility, COMPATIBILITY_MODES, type CompatibilityMode, type SchemaFiles } from "./compatibility.js";

const TYPES: Record<string, Type> = { string: Type.STRING, int64: Type.INT64, int32: Type.INT32, bool: Type.BOOL };

/** A schema `shop/order.proto` with message shop.v1.Order from lines like "string id = 1", plus extra empty messages. */
function order(fields: string[], extraMessages: string[] = []): SchemaFiles {
  const field = fields.map((line) => {
    const [, type, name, n] = line.match(/^(\w+) (\w+) = (\d+)$/)!;
    return { name, number: Number(n), jsonName: name, label: Label.OPTIONAL, type: TYPES[type!] };
  });
  const set = create(FileDescriptorSetSchema, {
    file: [{ name: "shop/order.proto", package: "shop.v1", syntax: "proto3", messageType: [{ name: "Order", field }, ...extraMessages.map((name) => ({ name }))] }],
  });
  return { registry: createFileRegistry(set) };
}

const rules = (r: { violations: { rule: string }[] }) => [...new Set(r.violations.map((v) => v.rule))].sort();
const history = (...schemas: SchemaFiles[]) => schemas.map((schema, i) => ({ version: i + 1, schema }));
const DELETE_RULES = ["FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"];

describe("checkCompatibility", () => {
  it("accepts anything without history, and anything under NONE", () => {
    const breaking = order(["int64 id = 1"]);
    for (const mode of COMPATIBILITY_MODES) expect(checkCompatibility(mode, [], breaking).compatible).toBe(true);
    expect(checkCompatibility("NONE", history(order(["string id = 1"])), breaking)).toEqual({ compatible: true, violations: [] });
  });

  it("BACKWARD compares with the latest only; BACKWARD_TRANSITIVE also finds the break against version 1", () => {
    // v2 dropped `total` (registered under NONE); the candidate brings it back with another type.
    const h = history(order(["string id = 1", "string total = 2"]), order(["string id = 1"]));
    const candidate = order(["string id = 1", "int64 total = 2"]);
    expect(checkCompatibility("BACKWARD", h, candidate).compatible).toBe(true);
    const t = checkCompatibility("BACKWARD_TRANSITIVE", h, candidate);
    expect(t.compatible).toBe(false);
    expect(t.violations).toEqual([expect.objectContaining({ rule: "FIELD_WIRE_JSON_COMPATIBLE_TYPE", path: "shop.v1.Order.total", againstVersion: 1, direction: "BACKWARD" })]);
  });

  it("FORWARD checks the other direction: a type change passes against the latest but not against an older version that had the field", () => {
    // v2 dropped `note` (registered under NONE); the candidate brings it back with another type.
    const h = history(order(["string id = 1", "string note = 3"]), order(["string id = 1"]));
    const candidate = order(["string id = 1", "int64 note = 3"]);
    expect(checkCompatibility("FORWARD", h, candidate).compatible).toBe(true);
    const t = checkCompatibility("FORWARD_TRANSITIVE", h, candidate);
    expect(t.violations).toEqual([expect.objectContaining({ rule: "FIELD_WIRE_JSON_COMPATIBLE_TYPE", path: "shop.v1.Order.note", againstVersion: 1, direction: "FORWARD" })]);
  });

  it("FORWARD accepts additions (old readers skip unknown fields), which buf's reversed check would call deletions", () => {
    const h = history(order(["string id = 1"]));
    const candidate = order(["string id = 1", "int64 total = 2"]);
    expect(rules({ violations: breakingChanges(h[0]!.schema, candidate) })).toEqual(DELETE_RULES);
    expect(checkCompatibility("FORWARD", h, candidate).compatible).toBe(true);
    expect(checkCompatibility("FULL_TRANSITIVE", h, candidate).compatible).toBe(true);
  });

  it("FORWARD and BACKWARD both report a type change, each with its direction", () => {
    const h = history(order(["string id = 1"]));
    const candidate = order(["int64 id = 1"]);
    const f = checkCompatibility("FORWARD", h, candidate);
    const b = checkCompatibility("BACKWARD", h, candidate);
    expect(f.violations.map((v) => `${v.direction}:${v.rule}`)).toEqual(["FORWARD:FIELD_WIRE_JSON_COMPATIBLE_TYPE"]);
    expect(b.violations.map((v) => `${v.direction}:${v.rule}`)).toEqual(["BACKWARD:FIELD_WIRE_JSON_COMPATIBLE_TYPE"]);
  });

  it("FULL needs both directions and reports each with its direction", () => {
    const h = history(order(["string id = 1", "string note = 3"]));
    expect(checkCompatibility("FULL", h, order(["string id = 1", "string note = 3"], ["Unused"])).compatible).toBe(true);
    const r = checkCompatibility("FULL", h, order(["int64 id = 1", "string note = 3", "bool paid = 4"]));
    expect(r.violations.filter((v) => v.direction === "BACKWARD").map((v) => v.rule)).toEqual(["FIELD_WIRE_JSON_COMPATIBLE_TYPE"]);
    // The added `paid` is no FORWARD violation; the type change is one in both directions.
    expect(r.violations.filter((v) => v.direction === "FORWARD").map((v) => v.rule)).toEqual(["FIELD_WIRE_JSON_COMPATIBLE_TYPE"]);
  });

  it("FULL_TRANSITIVE finds what FULL misses in older versions", () => {
    const h = history(order(["string id = 1", "string total = 2"]), order(["string id = 1"]));
    const candidate = order(["string id = 1"], ["Unused"]);
    expect(checkCompatibility("FULL", h, candidate).compatible).toBe(true);
    const t = checkCompatibility("FULL_TRANSITIVE", h, candidate);
    expect(rules(t)).toEqual(DELETE_RULES);
    expect(new Set(t.violations.map((v) => `${v.againstVersion}/${v.direction}`))).toEqual(new Set(["1/BACKWARD"]));
  });

  it("lists violations against the latest version first and compares a repeated schema once per version", () => {
    const old = order(["string id = 1"]);
    const t = checkCompatibility("BACKWARD_TRANSITIVE", history(old, old, old), order(["int64 id = 1"]));
    expect(t.violations.map((v) => v.againstVersion)).toEqual([3, 2, 1]);
  });

  it("stops at maxViolations and says so, keeping the verdict", () => {
    const h = history(...Array.from({ length: 10 }, (_, i) => order(["string id = 1", `string f${i} = ${i + 2}`])));
    const r = checkCompatibility("BACKWARD_TRANSITIVE", h, order(["int64 id = 1"]), { maxViolations: 5 });
    expect(r).toMatchObject({ compatible: false, truncated: true });
    expect(r.violations).toHaveLength(5);
  });

  it("rejects an unknown mode", () => {
    expect(() => checkCompatibility("SIDEWAYS" as CompatibilityMode, [], order([]))).toThrow(RangeError);
  });
});

describe("breakingChanges", () => {
  it("finds nothing between a schema and itself, or an identical copy", () => {
    const a = order(["string id = 1", "int64 total = 2"]);
    expect(breakingChanges(a, a)).toEqual([]);
    expect(breakingChanges(order(["string id = 1", "int64 total = 2"]), a)).toEqual([]);
  });

  it("names the rule, the element and the file, in a sentence", () => {
    const [v] = breakingChanges(order(["int64 id = 1"]), order(["string id = 1"]));
    expect(v).toMatchObject({ rule: "FIELD_WIRE_JSON_COMPATIBLE_TYPE", path: "shop.v1.Order.id", file: "shop/order.proto" });
    expect(v!.message).toContain("from string to int64");
  });

  it("checks only the files the schema owns when told", () => {
    const next = { ...order(["int64 id = 1"]), files: [] };
    expect(breakingChanges(next, order(["string id = 1"]))).toEqual([]);
  });
});
