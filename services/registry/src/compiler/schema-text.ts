import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { descriptorToProto } from "./descriptor-to-proto.js";

// Base64 (standard alphabet, padding optional) and nothing else: .proto text always has a character outside it
// (`;`, `"`, a space, a brace), so such a string can only be a serialized descriptor.
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The .proto text of a schema as a Confluent client sends it: .proto text as it is, or a base64 serialized
 * `FileDescriptorProto` (what Confluent's serializers in Python, Go and JavaScript send) printed as .proto text, as
 * Confluent's `ProtobufSchema` does (text first, then base64 descriptor). `descriptor` is set for the second form.
 */
export function schemaText(given: string): { text: string; descriptor?: FileDescriptorProto } {
  const compact = given.replace(/\s+/g, "");
  if (compact.length < 4 || !BASE64.test(compact)) return { text: given };
  let descriptor: FileDescriptorProto;
  try {
    descriptor = fromBinary(FileDescriptorProtoSchema, Buffer.from(compact, "base64"));
  } catch {
    return { text: given };
  }
  // Random base64 can decode to an empty or nonsense message; a real file declares a syntax, package or type.
  if (!descriptor.name && !descriptor.package && descriptor.messageType.length === 0 && descriptor.enumType.length === 0) return { text: given };
  return { text: descriptorToProto(descriptor), descriptor };
}
