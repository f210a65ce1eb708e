import { toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { findFile, loadDescriptorSet } from "../compiler/index.js";
import type { VersionRecord } from "../store/types.js";

/**
 * A version's schema in the `?format=` a client asks for, as Confluent's `ProtobufSchema.formattedString`:
 * `serialized` is the base64 `FileDescriptorProto` of the schema's file (what Confluent's deserializers ask for);
 * anything else (empty, `default`, `ignore_extensions`, unknown formats) is the .proto text.
 */
export function formatSchema(v: VersionRecord, format: string | null): string {
  if ((format ?? "").trim().toLowerCase() !== "serialized") return v.protoSource;
  const compiled = loadDescriptorSet(v.descriptorSet, v.fileName, v.messageName);
  const file = findFile(compiled.registry, v.fileName)!;
  return Buffer.from(toBinary(FileDescriptorProtoSchema, file.proto)).toString("base64");
}
