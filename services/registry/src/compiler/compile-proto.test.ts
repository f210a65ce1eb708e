import { readFileSync } from "node:fs";
import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { compileProto, loadDescriptorSet } from "./index.js";

const money = { name: "shop/money.proto", content: 'syntax = "proto3";\npackage shop.v1;\nmessage Money {\n  int64 units = 1;\n}\n' };
const order = {
  name: "shop/order.proto",
  content: [
    'syntax = "proto3";',
    "package shop.v1;",
    'import "google/protobuf/timestamp.proto";',
    'import "shop/money.proto";',
    "message Order {",
    "  string id = 1;",
    "  google.protobuf.Timestamp at = 2;",
    "  Money total = 3;",
    "}",
  ].join("\n"),
};
const one = (content: string) => ({ name: "a.proto", content });
const invalid = (reason: string) => ({ code: status.INVALID_ARGUMENT, reason });

describe("compileProto", () => {
  it("builds a descriptor set holding the main file, its imports and the well-known types it uses", async () => {
    const c = await compileProto(order, [money]);
    expect(c.fileName).toBe("shop/order.proto");
    expect(c.messageName).toBe("shop.v1.Order");
    expect(c.message.fields.map((f) => f.name)).toEqual(["id", "at", "total"]);
    expect([...c.registry.files].map((f) => f.proto.name).sort()).toEqual(["google/protobuf/timestamp.proto", "shop/money.proto", "shop/order.proto"]);
    const loaded = loadDescriptorSet(c.descriptorSet, c.fileName, c.messageName);
    expect(loaded.message.fields.map((f) => f.name)).toEqual(["id", "at", "total"]);
  });

  it("produces the same bytes for the same sources", async () => {
    const [a, b] = await Promise.all([compileProto(order, [money]), compileProto(order, [money])]);
    expect(Buffer.from(a.descriptorSet).equals(Buffer.from(b.descriptorSet))).toBe(true);
  });

  it("reports a syntax error with file, line and column", async () => {
    const err = await compileProto(one('syntax = "proto3";\nmessage A { strin id = 1; }\n'), []).catch((e: unknown) => e);
    expect(err).toMatchObject(invalid("SCHEMA_INVALID"));
    expect((err as Error).message).toMatch(/a\.proto:2:\d+:/);
  });

  it("reports a semantic error (a field number used twice) with its position", async () => {
    const err = await compileProto(one('syntax = "proto3";\nmessage A {\n  string id = 1;\n  int32 n = 1;\n}\n'), []).catch((e: unknown) => e);
    expect(err).toMatchObject(invalid("SCHEMA_INVALID"));
    expect((err as Error).message).toMatch(/a\.proto:4:\d+:/);
  });

  it("names an import that is neither given nor a well-known type", async () => {
    const err = await compileProto(order, []).catch((e: unknown) => e);
    expect(err).toMatchObject(invalid("IMPORT_NOT_FOUND"));
    expect((err as Error).message).toContain('shop/order.proto:4:1:import "shop/money.proto"');
  });

  it("treats a misspelled well-known import as not found", async () => {
    const src = 'syntax = "proto3";\nimport "google/protobuf/timestamps.proto";\nmessage A {}\n';
    await expect(compileProto(one(src), [])).rejects.toMatchObject(invalid("IMPORT_NOT_FOUND"));
  });

  it("resolves the message by full name, leading dot or package-relative name", async () => {
    const src = 'syntax = "proto3";\npackage p;\nmessage A {}\nmessage B {\n  message C {}\n}\n';
    expect((await compileProto(one(src), [], "p.A")).messageName).toBe("p.A");
    expect((await compileProto(one(src), [], ".p.B")).messageName).toBe("p.B");
    expect((await compileProto(one(src), [], "B.C")).messageName).toBe("p.B.C");
  });

  it("refuses a missing message name when the file has several or no top-level messages", async () => {
    const two = 'syntax = "proto3";\npackage p;\nmessage A {}\nmessage B {}\n';
    await expect(compileProto(one(two), [])).rejects.toMatchObject(invalid("MESSAGE_NOT_FOUND"));
    await expect(compileProto(one('syntax = "proto3";\nenum E {\n  E_UNSPECIFIED = 0;\n}\n'), [])).rejects.toMatchObject(invalid("MESSAGE_NOT_FOUND"));
    await expect(compileProto(one(two), [], "p.C")).rejects.toMatchObject(invalid("MESSAGE_NOT_FOUND"));
  });

  it("does not look for the message in imports", async () => {
    await expect(compileProto(order, [money], "shop.v1.Money")).rejects.toMatchObject(invalid("MESSAGE_NOT_FOUND"));
  });

  it("refuses file names that are not relative .proto paths, and duplicates", async () => {
    for (const name of ["../a.proto", "/a.proto", "a.txt", "a//b.proto", "./a.proto"]) {
      await expect(compileProto({ name, content: "" }, [])).rejects.toMatchObject(invalid("SCHEMA_INVALID"));
    }
    await expect(compileProto(money, [money])).rejects.toMatchObject(invalid("SCHEMA_INVALID"));
  });

  it("refuses a map whose enum values do not start at 0, as protoc does", async () => {
    const src = 'syntax = "proto2";\nenum L {\n  L_ONE = 1;\n}\nmessage A {\n  map<string, L> m = 1;\n}\n';
    await expect(compileProto(one(src), [])).rejects.toMatchObject(invalid("SCHEMA_INVALID"));
  });

  it("fails with SCHEMA_COMPILER_FAILED when buf cannot run", async () => {
    await expect(compileProto(money, [], undefined, { buf: "/nonexistent/buf" })).rejects.toMatchObject({ code: status.INTERNAL, reason: "SCHEMA_COMPILER_FAILED" });
  });
});

describe("loadDescriptorSet", () => {
  it("refuses bytes that are not a descriptor set, a missing file and a missing message", async () => {
    const c = await compileProto(order, [money]);
    expect(() => loadDescriptorSet(new Uint8Array([0xff, 0xff, 0xff]), "a.proto", "A")).toThrow(expect.objectContaining(invalid("SCHEMA_INVALID")));
    expect(() => loadDescriptorSet(c.descriptorSet, "nope.proto", "shop.v1.Order")).toThrow(expect.objectContaining(invalid("SCHEMA_INVALID")));
    expect(() => loadDescriptorSet(c.descriptorSet, c.fileName, "shop.v1.Nope")).toThrow(expect.objectContaining(invalid("MESSAGE_NOT_FOUND")));
  });
});

describe("compileProto with protovalidate rules", () => {
  const rules = {
    name: "shop/order.proto",
    content: [
      'syntax = "proto3";',
      "package shop.v1;",
      'import "buf/validate/validate.proto";',
      "message Order {",
      "  string id = 1 [(buf.validate.field).string.min_len = 1];",
      "  int64 total_cents = 2 [(buf.validate.field).int64.gte = 0];",
      "}",
    ].join("\n"),
  };

  it("bundles buf/validate/validate.proto and keeps the rules in the descriptor set", async () => {
    const c = await compileProto(rules, []);
    expect([...c.registry.files].map((f) => f.proto.name)).toContain("buf/validate/validate.proto");
    const total = c.message.fields.find((f) => f.name === "total_cents")!;
    // Extension 1159 (buf.validate.field) is kept on the field's options, as unknown fields of FieldOptions.
    expect(total.proto.options?.$unknown?.some((u) => u.no === 1159)).toBe(true);
  });

  it("uses a copy given under the same import path instead of the bundled one", async () => {
    const copy = { name: "buf/validate/validate.proto", content: 'syntax = "proto2";\npackage buf.validate;\nmessage Marker {}\n' };
    const err = await compileProto(rules, [copy]).catch((e: unknown) => e);
    // The minimal copy defines no `field` extension, so the rules cannot resolve: proof the copy was used.
    expect(err).toMatchObject(invalid("SCHEMA_INVALID"));
  });
});

describe("compileProto with Trackway's PII options", () => {
  it("bundles trackway/options/v1/pii.proto, the same text as proto/trackway/options/v1/pii.proto", async () => {
    const signup = {
      name: "shop/signup.proto",
      content: 'syntax = "proto3";\npackage shop.v1;\nimport "trackway/options/v1/pii.proto";\nmessage Signup { string email = 1 [(trackway.options.v1.field).pii = PII_HASH]; }\n',
    };
    const c = await compileProto(signup, []);
    expect([...c.registry.files].map((f) => f.proto.name)).toContain("trackway/options/v1/pii.proto");
    expect(c.message.fields[0]!.proto.options?.$unknown?.some((u) => u.no === 50919)).toBe(true);
    const bundled = readFileSync(new URL("./bundled/trackway/options/v1/pii.proto", import.meta.url), "utf8");
    const source = readFileSync(new URL("../../../../proto/trackway/options/v1/pii.proto", import.meta.url), "utf8");
    expect(bundled).toBe(source);
  });
});
