import { clone, equals } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { descriptorToProto } from "./descriptor-to-proto.js";
import { compileProto, findFile } from "./index.js";

const money = { name: "acme/money.proto", content: 'syntax = "proto3";\npackage acme.v1;\nmessage Money {\n  int64 units = 1;\n}\n' };

const proto3 = `syntax = "proto3";
package shop.v1;
import "google/protobuf/timestamp.proto";
import "acme/money.proto";
option go_package = "example.com/shop/v1;shopv1";
option java_multiple_files = true;
message Order {
  string order_id = 1;
  google.protobuf.Timestamp at = 2;
  acme.v1.Money total = 3;
  map<string, int64> counts = 4;
  map<int32, Line> lines = 5;
  optional string coupon = 6;
  oneof payment {
    string card = 7;
    bytes token = 8;
  }
  repeated int32 codes = 9 [packed = false];
  string renamed = 10 [json_name = "other", deprecated = true];
  Status status = 11;
  reserved 20 to 25, 30;
  reserved "old";
  message Line {
    sint64 qty = 1;
    Status status = 2;
  }
  enum Status {
    option allow_alias = true;
    STATUS_UNSPECIFIED = 0;
    STATUS_OPEN = 1;
    STATUS_ACTIVE = 1;
    reserved 5 to max;
  }
}
service Orders {
  rpc Get(Order) returns (stream Order);
}
`;

const proto2 = `syntax = "proto2";
package legacy;
message Thing {
  required string id = 1;
  optional int32 n = 2 [default = -3];
  optional string s = 3 [default = "a\\"b"];
  optional bytes b = 4 [default = "\\001x"];
  repeated double d = 5;
  extensions 100 to 199;
}
extend Thing {
  optional string note = 100;
}
`;

async function roundTrip(content: string, imports = [money]): Promise<[FileDescriptorProto, FileDescriptorProto, string]> {
  const name = "x/main.proto";
  const first = await compileProto({ name, content }, imports);
  const given = findFile(first.registry, name)!.proto;
  const text = descriptorToProto(given);
  const second = await compileProto({ name, content: text }, imports);
  return [given, findFile(second.registry, name)!.proto, text];
}

describe("descriptorToProto", () => {
  it("prints proto3 source that compiles back to the same descriptor", async () => {
    const [given, again, text] = await roundTrip(proto3);
    expect(text).toContain("map<string, int64> counts = 4;");
    expect(equals(FileDescriptorProtoSchema, given, again)).toBe(true);
  });

  it("prints proto2 labels, defaults, extension ranges and extensions", async () => {
    const [given, again, text] = await roundTrip(proto2, []);
    expect(text).toContain("required string id = 1;");
    expect(equals(FileDescriptorProtoSchema, given, again)).toBe(true);
  });

  it("keeps import order and marks public imports", async () => {
    const [given] = await roundTrip(proto3);
    const copy = clone(FileDescriptorProtoSchema, given);
    copy.publicDependency = [1];
    expect(descriptorToProto(copy)).toMatch(/import "google\/protobuf\/timestamp.proto";\nimport public "acme\/money.proto";/);
  });
});
