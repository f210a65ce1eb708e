import { create, createFileRegistry, setExtension, type DescMessage, type FileRegistry } from "@bufbuild/protobuf";
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type, FieldOptionsSchema, FileDescriptorProtoSchema, file_google_protobuf_descriptor } from "@bufbuild/protobuf/wkt";
import { field as validateField, FieldRulesSchema, file_buf_validate_validate } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { describe, expect, it } from "vitest";
import { Refusal } from "../refusal.js";
import { DataCheck, DECODE_FAILURE, enforcementOf } from "./data-check.js";
import { dataCheckSql, sampleLimitOf, windowRange } from "./data-check-sql.js";

/** shop.v1.Order { string order_id = 1 [min_len 1]; int64 total_cents = 2 [gte 0]; string email = 3 [email] }, built in code. */
function order(): { desc: DescMessage; registry: FileRegistry } {
  const rule = (r: object) => {
    const o = create(FieldOptionsSchema);
    setExtension(o, validateField, create(FieldRulesSchema, r));
    return o;
  };
  const f = (name: string, number: number, type: FieldDescriptorProto_Type, options: ReturnType<typeof rule>) => ({ name, number, type, label: FieldDescriptorProto_Label.OPTIONAL, jsonName: name.replace(/_(.)/g, (_m, c: string) => c.toUpperCase()), options });
  const file = create(FileDescriptorProtoSchema, {
    name: "shop/v1/order.proto",
    package: "shop.v1",
    syntax: "proto3",
    dependency: ["buf/validate/validate.proto"],
    messageType: [
      {
        name: "Order",
        field: [
          f("order_id", 1, FieldDescriptorProto_Type.STRING, rule({ type: { case: "string", value: { minLen: 1n } } })),
          f("total_cents", 2, FieldDescriptorProto_Type.INT64, rule({ type: { case: "int64", value: { greaterThan: { case: "gte", value: 0n } } } })),
          f("email", 3, FieldDescriptorProto_Type.STRING, rule({ type: { case: "string", value: { wellKnown: { case: "email", value: true } } } })),
          { ...f("lines", 4, FieldDescriptorProto_Type.MESSAGE, create(FieldOptionsSchema)), typeName: ".shop.v1.Line", label: FieldDescriptorProto_Label.REPEATED },
        ],
      },
      { name: "Line", field: [f("sku", 1, FieldDescriptorProto_Type.STRING, rule({ type: { case: "string", value: { minLen: 1n } } }))] },
    ],
  });
  const registry = createFileRegistry(file, (name) => (name === "buf/validate/validate.proto" ? file_buf_validate_validate : name === "google/protobuf/descriptor.proto" ? file_google_protobuf_descriptor : undefined));
  return { desc: registry.getMessage("shop.v1.Order")!, registry };
}

const ev = (i: number, props: object | string) => ({ eventId: `e-${i}`, schemaVersion: 1, properties: typeof props === "string" ? props : JSON.stringify(props) });

describe("DataCheck", () => {
  const { desc, registry } = order();

  it("counts passing events, rule violations per rule, and decode failures, with examples", () => {
    const c = new DataCheck(desc, registry, "REJECT", 3);
    expect(c.add(ev(1, { order_id: "o-1", total_cents: "5", email: "a@b.co" }))).toEqual([]);
    expect(c.add(ev(2, { order_id: "o-2", total_cents: "-5", email: "a@b.co" }))).toEqual([{ kind: "CONTRACT_VIOLATION", fieldPath: "total_cents", ruleId: "int64.gte", message: expect.any(String) }]);
    c.add(ev(3, { order_id: "", total_cents: "-1", email: "nope" }));
    // A field the proposed message no longer has: at its default it was never on the wire; with a value it does not decode.
    expect(c.add(ev(5, { order_id: "o-5", total_cents: "1", email: "a@b.co", coupon: "" }))).toEqual([]);
    expect(c.add(ev(4, { order_id: "o-4", coupon: "X" }))[0]).toMatchObject({ kind: "DECODE_FAILURE", ruleId: DECODE_FAILURE });
    const r = c.result();
    expect(r).toMatchObject({ eventsChecked: 5, passed: 2, ruleViolations: 2, decodeFailures: 1, wouldReject: 3, wouldWarn: 0 });
    expect(r.rules[0]).toEqual({ fieldPath: "total_cents", ruleId: "int64.gte", events: 2 });
    expect(r.rules.map((x) => x.ruleId).sort()).toEqual([DECODE_FAILURE, "int64.gte", "string.email", "string.min_len"].sort());
    expect(r.examples).toHaveLength(3);
    expect(r.examples[0]).toMatchObject({ eventId: "e-2", fieldPath: "total_cents", ruleId: "int64.gte" });
  });

  it("drops stored defaults of fields the proposal removed inside nested messages too, and checks nested rules", () => {
    const c = new DataCheck(desc, registry, "REJECT", 10);
    const base = { order_id: "o", total_cents: "1", email: "a@b.co" };
    expect(c.add(ev(1, { ...base, lines: [{ sku: "s", old_qty: 0 }] }))).toEqual([]);
    expect(c.add(ev(2, { ...base, lines: [{ sku: "s", old_qty: 3 }] }))[0]).toMatchObject({ kind: "DECODE_FAILURE" });
    expect(c.add(ev(3, { ...base, lines: [{ sku: "" }] }))).toEqual([expect.objectContaining({ fieldPath: "lines[0].sku", ruleId: "string.min_len" })]);
  });

  it("warns under WARN, skips rules under OFF, and still rejects what does not decode", () => {
    const warn = new DataCheck(desc, registry, "WARN", 10);
    warn.add(ev(1, { total_cents: "-5", order_id: "x" }));
    warn.add(ev(2, "{not json"));
    expect(warn.result()).toMatchObject({ wouldReject: 1, wouldWarn: 1, decodeFailures: 1, ruleViolations: 1 });
    const off = new DataCheck(desc, registry, "OFF", 10);
    off.add(ev(1, { total_cents: "-5" }));
    expect(off.result()).toMatchObject({ passed: 1, wouldReject: 0, wouldWarn: 0 });
  });

  it("parses enforcement names and refuses others", () => {
    expect(enforcementOf("")).toBe("REJECT");
    expect(enforcementOf("warn")).toBe("WARN");
    expect(() => enforcementOf("DROP")).toThrow(Refusal);
  });
});

describe("data check SQL and limits", () => {
  const now = new Date("2026-11-30T12:00:00Z");

  it("reads one event name of the window, newest first, one row past the limit", () => {
    const sql = dataCheckSql("shop.order_completed", windowRange(7 * 86_400_000, now), 100);
    expect(sql).toContain("FROM ods_events WHERE event_time >= TIMESTAMP '2026-11-23 12:00:00.000'");
    expect(sql).toContain("event_name = 'shop.order_completed'");
    expect(sql).toMatch(/ORDER BY event_time DESC LIMIT 101$/);
  });

  it("refuses a missing or too long window, an empty event name and a huge sample", () => {
    expect(() => windowRange(0, now)).toThrow(/window is required/);
    expect(() => windowRange(91 * 86_400_000, now)).toThrow(/at most 90 days/);
    expect(() => dataCheckSql(" ", windowRange(1000, now), 1)).toThrow(/event_name is required/);
    expect(sampleLimitOf(0)).toBe(10_000);
    expect(() => sampleLimitOf(2_000_000)).toThrow(Refusal);
  });
});
