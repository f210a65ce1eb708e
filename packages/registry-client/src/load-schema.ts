import { createFileRegistry, fromBinary, type DescMessage, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";

/** A registered schema's properties message, loaded from its descriptor set, ready for fromBinary/toJson. */
export interface LoadedSchema {
  registry: FileRegistry;
  message: DescMessage;
}

/** Loads a serialized FileDescriptorSet and finds the properties message (fully qualified name). */
export function loadSchema(descriptorSet: Uint8Array, messageName: string): LoadedSchema {
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, descriptorSet));
  const message = registry.getMessage(messageName.replace(/^\./, ""));
  if (!message) throw new Error(`descriptor set has no message ${messageName}`);
  return { registry, message };
}
