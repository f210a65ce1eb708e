import { fromBinary, toJson, type DescMessage, type JsonObject, type Message, type Registry } from "@bufbuild/protobuf";

/** The properties of an event, decoded and in JSON form, or why they could not be. */
export type DecodedProperties = { ok: true; json: JsonObject; message: Message } | { ok: false; unknownFields: boolean; message: string };

/** Whether a decoded message, or any message inside it, kept field numbers its type does not declare. */
export function hasUnknownFields(value: unknown, depth = 0): boolean {
  if (depth > 100 || value === null || typeof value !== "object" || value instanceof Uint8Array) return false;
  if (Array.isArray(value)) return value.some((v) => hasUnknownFields(v, depth + 1));
  const o = value as { $unknown?: unknown[] };
  if (o.$unknown !== undefined && o.$unknown.length > 0) return true;
  for (const [k, v] of Object.entries(o)) if (k !== "$unknown" && hasUnknownFields(v, depth + 1)) return true;
  return false;
}

/**
 * Decodes an event's properties with its schema version's message type and maps them to protobuf's JSON
 * with the .proto field names. Fields without presence are always written (0, "", false, []), so a typed
 * column reads the value rather than NULL; int64 values are strings, enums their names, bytes base64.
 */
export function decodeProperties(desc: DescMessage, bytes: Uint8Array, registry?: Registry): DecodedProperties {
  let message: Message;
  try {
    message = fromBinary(desc, bytes);
  } catch (e) {
    return { ok: false, unknownFields: false, message: `properties do not decode as ${desc.typeName}: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (hasUnknownFields(message)) {
    return { ok: false, unknownFields: true, message: `properties carry fields ${desc.typeName} does not declare at this version` };
  }
  try {
    return { ok: true, json: toJson(desc, message, { useProtoFieldName: true, alwaysEmitImplicit: true, registry }) as JsonObject, message };
  } catch (e) {
    // For example a google.protobuf.Any whose type is not in the schema's descriptor set.
    return { ok: false, unknownFields: false, message: `properties of ${desc.typeName} cannot be written as JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}
