import { describe, expect, it } from "vitest";
import { compileProto } from "../../compiler/index.js";
import { readRules } from "./read-rules.js";
import { ruleChanges } from "./rule-changes.js";

const order = (fields: string, messageOption = "") => ({
  name: "shop/order.proto",
  content: `syntax = "proto3";\npackage shop.v1;\nimport "buf/validate/validate.proto";\nmessage Money { int64 units = 1 [(buf.validate.field).int64.gte = 0]; }\nmessage Order {\n${messageOption}\n${fields}\n}\n`,
});
const rulesOf = async (fields: string, messageOption = "") => readRules((await compileProto(order(fields, messageOption), [], "shop.v1.Order")).message);

describe("ruleChanges", () => {
  it("reads field, nested and message rules by path", async () => {
    const r = await rulesOf(
      "  string id = 1 [(buf.validate.field).string.min_len = 1];\n  Money total = 2;",
      '  option (buf.validate.message).cel = { id: "x", expression: "true" };',
    );
    expect(r.get("id")).toEqual(new Map([["string.min_len", '"1"']]));
    expect(r.get("total.units")).toEqual(new Map([["int64.gte", '"0"']]));
    expect([...r.get("(message)")!.keys()]).toEqual(["cel"]);
  });

  it("reports an added rule and a raised lower bound as tightening, a removed rule and a raised upper bound as not", async () => {
    const before = await rulesOf("  int32 n = 1 [(buf.validate.field).int32 = {gte: 1, lte: 10}];\n  string e = 2 [(buf.validate.field).string.max_len = 5];");
    const after = await rulesOf("  int32 n = 1 [(buf.validate.field).int32 = {gte: 2, lte: 20}];\n  string e = 2 [(buf.validate.field).string.email = true];");
    const changes = ruleChanges(before, after).map((c) => [c.path, c.rule, c.kind, c.tightens]);
    expect(changes).toEqual([
      ["e", "string.email", "ADDED", true],
      ["n", "int32.gte", "CHANGED", true],
      ["e", "string.max_len", "REMOVED", false],
      ["n", "int32.lte", "CHANGED", false],
    ]);
  });

  it("treats a changed CEL expression as tightening and identical rules as no change", async () => {
    const a = await rulesOf("  int64 t = 1;", '  option (buf.validate.message).cel = { id: "x", expression: "this.t >= 0" };');
    const b = await rulesOf("  int64 t = 1;", '  option (buf.validate.message).cel = { id: "x", expression: "this.t > 0" };');
    expect(ruleChanges(a, a)).toEqual([]);
    expect(ruleChanges(a, b)).toMatchObject([{ path: "(message)", rule: "cel", kind: "CHANGED", tightens: true }]);
  });

  it("reports a PII policy change between versions like a rule change, never as tightening", async () => {
    const pii = (fields: string) => ({
      name: "shop/signup.proto",
      content: `syntax = "proto3";\npackage shop.v1;\nimport "trackway/options/v1/pii.proto";\nmessage Address { string street = 1 [(trackway.options.v1.field).pii = PII_DROP]; }\nmessage Signup {\n${fields}\n}\n`,
    });
    const read = async (fields: string) => readRules((await compileProto(pii(fields), [], "shop.v1.Signup")).message);
    const before = await read("  string email = 1 [(trackway.options.v1.field).pii = PII_HASH];\n  string phone = 2;\n  Address home = 3;");
    const after = await read("  string email = 1 [(trackway.options.v1.field).pii = PII_MASK];\n  string phone = 2 [(trackway.options.v1.field).pii = PII_DROP];\n  Address home = 3;");
    expect(before.get("email")).toEqual(new Map([["trackway.pii", '"PII_HASH"']]));
    expect(before.get("home.street")).toEqual(new Map([["trackway.pii", '"PII_DROP"']]));
    expect(ruleChanges(before, after).map((c) => [c.path, c.rule, c.kind, c.before, c.after, c.tightens])).toEqual([
      ["email", "trackway.pii", "CHANGED", '"PII_HASH"', '"PII_MASK"', false],
      ["phone", "trackway.pii", "ADDED", "", '"PII_DROP"', false],
    ]);
    expect(ruleChanges(after, before).map((c) => [c.path, c.kind])).toEqual([["email", "CHANGED"], ["phone", "REMOVED"]]);
  });
});
