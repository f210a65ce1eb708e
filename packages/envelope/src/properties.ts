import {
  create,
  createRegistry,
  fromBinary,
  fromJson,
  isMessage,
  toBinary,
  toJson,
  type DescFile,
  type DescMessage,
  type JsonValue,
  type Message,
  type Registry,
} from "@bufbuild/protobuf";

// The one crossing between the two protobuf runtimes. The envelope (`Event`, `EventHeader`, batches) is a ts-proto
// object, as the grpc-js stubs want it; an event's properties are a message of its registered type, which only exists
// at run time and so is a protobuf-es message built from the registry's descriptors. They meet in `Event.properties`
// (bytes): everything that turns properties into those bytes or back lives here.

export type { DescField, DescFile, DescMessage, FileRegistry, JsonObject, JsonValue, Message, Registry } from "@bufbuild/protobuf";

/** The registered event types a caller may hand over: a registry, or descriptors and files to build one from. */
export type PropertySchemas = Registry | readonly (DescMessage | DescFile)[];

/** A registry of the given types (an empty one when none are given). */
export function propertyRegistry(schemas?: PropertySchemas): Registry {
  if (schemas === undefined) return createRegistry();
  return "getMessage" in schemas ? schemas : createRegistry(...schemas);
}

/** A properties message of `desc` from a plain init object (numbers for 64-bit fields must be bigint). */
export function createProperties(desc: DescMessage, init: Record<string, unknown>): Message {
  return create(desc, init as never);
}

/**
 * `Event.properties` bytes of a protobuf-es message, its type looked up in `schemas`; throws a TypeError naming what
 * is missing when `value` is not a message or its type is unknown.
 */
export function encodeProperties(schemas: Registry, value: unknown): Uint8Array {
  if (!isMessage(value)) throw new TypeError("properties must be a protobuf-es message or encoded bytes");
  const desc = schemas.getMessage(value.$typeName);
  if (!desc) throw new TypeError(`no schema for ${value.$typeName}: pass its descriptor in the client's schemas option`);
  return toBinary(desc, value);
}

/** `Event.properties` bytes of a message of `desc`. */
export function propertiesBytes(desc: DescMessage, message: Message): Uint8Array {
  return toBinary(desc, message);
}

/** `Event.properties` bytes from properties written as protobuf JSON (`registry` resolves Any and imported types). */
export function propertiesFromJson(desc: DescMessage, json: JsonValue, registry?: Registry): Uint8Array {
  return toBinary(desc, fromJson(desc, json, { registry }));
}

/**
 * Protobuf JSON of `Event.properties` bytes; throws when they do not decode as `desc`. `recordForm` writes them as
 * the enriched Kafka record does (.proto field names, fields at their default included) instead of canonical JSON.
 */
export function propertiesToJson(desc: DescMessage, bytes: Uint8Array, registry?: Registry, options: { recordForm?: boolean } = {}): JsonValue {
  const form = options.recordForm ? { useProtoFieldName: true, alwaysEmitImplicit: true } : {};
  return toJson(desc, fromBinary(desc, bytes), { registry, ...form });
}
