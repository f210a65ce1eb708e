import { propertiesToJson, type RejectedEventRecord } from "@trackway/envelope";
import { Event } from "@trackway/proto/event/v1";
import type { SchemaLookup } from "./schema-lookup.js";

/**
 * A rejected event's properties as JSON text in the enriched record's form, decoded with the registered schema of its name and version, or
 * "" when anything is missing: unreadable original bytes, an unknown name or version, properties that do not decode.
 * A sealed record's bytes are never opened here (a live view must not show what the policy protects): "". A policy
 * copy shows its values as stored (masked, dropped, HASH values as sealed tokens).
 */
export async function rejectedPropertiesJson(schemas: SchemaLookup, record: Partial<Pick<RejectedEventRecord, "original" | "protection">>, eventName: string, version: number): Promise<string> {
  if (!record.original || record.protection === "sealed" || !eventName || !version) return "";
  try {
    const event = Event.decode(Buffer.from(record.original, "base64"));
    const schema = await schemas.get(eventName, version);
    return schema ? JSON.stringify(propertiesToJson(schema.message, event.properties, schema.registry, { recordForm: true })) : "";
  } catch {
    return "";
  }
}
