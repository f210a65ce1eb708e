import { create, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { schemaText } from "./schema-text.js";

describe("schemaText", () => {
  it("keeps .proto text as it is", () => {
    const text = 'syntax = "proto3";\nmessage A { string a = 1; }\n';
    expect(schemaText(text)).toEqual({ text });
  });

  it("prints a base64 FileDescriptorProto as .proto text", () => {
    const fd = create(FileDescriptorProtoSchema, {
      name: "acme/a.proto",
      package: "acme",
      syntax: "proto3",
      messageType: [{ name: "A", field: [{ name: "a", number: 1, type: 9, label: 1, jsonName: "a" }] }],
    });
    const r = schemaText(Buffer.from(toBinary(FileDescriptorProtoSchema, fd)).toString("base64"));
    expect(r.descriptor?.name).toBe("acme/a.proto");
    expect(r.text).toBe('syntax = "proto3";\npackage acme;\nmessage A {\n  string a = 1;\n}\n');
  });

  it("leaves base64-looking text that is no descriptor to the compiler", () => {
    expect(schemaText("AAAA").descriptor).toBeUndefined();
  });
});
