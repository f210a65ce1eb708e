import { createFileRegistry, fromBinary, type DescFile, type DescMessage, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { messageNotFound, schemaInvalid } from "./errors.js";

/** A compiled schema: the descriptor set bytes and the descriptors the registry works with. */
export interface CompiledSchema {
  /** Serialized google.protobuf.FileDescriptorSet: the main file and every import (well-known types included), no source info. */
  descriptorSet: Uint8Array;
  /** The main file's name (its import path, e.g. `shop/order.proto`). */
  fileName: string;
  /** Fully-qualified name of the properties message, without a leading dot. */
  messageName: string;
  /** A registry over every file of `descriptorSet`. */
  registry: FileRegistry;
  /** The properties message's descriptor. */
  message: DescMessage;
}

/**
 * Loads a stored descriptor set without running buf (cheap: well under a millisecond for a small schema).
 * Throws SCHEMA_INVALID on bytes that are not a complete set, MESSAGE_NOT_FOUND when the message is missing.
 */
export function loadDescriptorSet(bytes: Uint8Array, fileName: string, messageName: string): CompiledSchema {
  let registry: FileRegistry;
  try {
    registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, bytes));
  } catch (e) {
    throw schemaInvalid(`the descriptor set cannot be loaded: ${(e as Error).message}`, e);
  }
  const file = findFile(registry, fileName);
  if (!file) throw schemaInvalid(`the descriptor set has no file "${fileName}"`);
  const message = resolveMessage(file, messageName);
  return { descriptorSet: bytes, fileName, messageName: message.typeName, registry, message };
}

/** The file of a registry with this import path (protobuf-es strips `.proto` from `DescFile.name`, so compare the proto). */
export function findFile(registry: FileRegistry, fileName: string): DescFile | undefined {
  for (const file of registry.files) if (file.proto.name === fileName) return file;
  return undefined;
}

/**
 * The properties message of a file: `messageName` fully qualified (a leading dot is accepted) or relative to the
 * file's package; without a name, the file's only top-level message. Throws MESSAGE_NOT_FOUND otherwise.
 */
export function resolveMessage(file: DescFile, messageName?: string): DescMessage {
  const all = messagesOf(file);
  if (messageName === undefined || messageName === "") {
    if (file.messages.length === 1) return file.messages[0]!;
    const names = file.messages.map((m) => m.typeName).join(", ");
    throw messageNotFound(
      file.messages.length === 0
        ? `${file.proto.name} declares no message; a schema needs one for the event's properties`
        : `${file.proto.name} declares ${file.messages.length} top-level messages (${names}); name the properties message`,
    );
  }
  const name = messageName.replace(/^\./, "");
  const pkg = file.proto.package;
  const found = all.find((m) => m.typeName === name) ?? (pkg ? all.find((m) => m.typeName === `${pkg}.${name}`) : undefined);
  if (found) return found;
  throw messageNotFound(`message "${name}" is not declared in ${file.proto.name} (it declares ${all.map((m) => m.typeName).join(", ") || "no message"})`);
}

/** Every message declared in a file, nested ones included (map entries are not messages of their own here). */
function messagesOf(file: DescFile): DescMessage[] {
  const out: DescMessage[] = [];
  const walk = (list: readonly DescMessage[]) => {
    for (const m of list) {
      out.push(m);
      walk(m.nestedMessages);
    }
  };
  walk(file.messages);
  return out;
}
