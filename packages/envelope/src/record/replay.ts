import { Event, EventHeader } from "@trackway/proto/event/v1";
import { expandCommon } from "../common-header.js";
import { propertiesFromJson, propertiesToJson, type DescMessage, type JsonValue, type Registry } from "../properties.js";
import type { RejectedEventRecord } from "./rejected-record.js";

/** An event to send again: its header (time corrected, `sentAt` cleared) and its property bytes. */
export interface ReplayableEvent {
  header: EventHeader;
  properties: Uint8Array;
}

/** A repair: header fields (protobuf JSON) to overwrite and/or new properties (protobuf JSON). */
export interface Repair {
  header?: Record<string, JsonValue>;
  properties?: JsonValue;
}

/** A registered schema of an event name, as a repair needs it. */
export interface ReplaySchema {
  version: number;
  message: DescMessage;
  registry: Registry;
}

/** The schema of an event name at a version (0: the newest usable); rejects when it is not registered. */
export type ReplaySchemaLookup = (eventName: string, version: number) => Promise<ReplaySchema>;

/**
 * The event a rejected record describes, from its event bytes as `rejectedEventBytes` gives them (a sealed record
 * opened with the tenant's data key): its merged header and property bytes, or undefined when the original bytes do
 * not parse (EVENT_MALFORMED: nothing to rebuild from). Sent again later, the event keeps the time ingest would have
 * given it then: event time + the clock skew seen then.
 */
export function rebuildRejected(r: RejectedEventRecord, bytes: { original: Uint8Array; common: Uint8Array }): ReplayableEvent | undefined {
  let event: Event;
  try {
    event = Event.decode(bytes.original);
  } catch {
    return undefined;
  }
  const common = bytes.common.length > 0 ? EventHeader.decode(bytes.common) : undefined;
  let header: EventHeader;
  if (r.protection) {
    // Not `r.header`: it holds the tenant's hashes, which ingest would hash again. A policy copy's own header has the
    // policy applied with HASH values sealed (ingest opens and hashes them once); a sealed one is the header as sent.
    header = r.protection === "policy" ? (event.header ?? EventHeader.fromPartial({})) : expandCommon(common, event.header);
    const parsed = r.header ? EventHeader.fromJSON(r.header) : undefined;
    header.sentAt ??= parsed?.sentAt;
  } else {
    header = r.header ? EventHeader.fromJSON(r.header) : EventHeader.fromPartial({ ...common, ...event.header });
  }
  if (header.eventTime && header.sentAt) header.eventTime = new Date(header.eventTime.getTime() + (r.received_at - header.sentAt.getTime()));
  header.sentAt = undefined;
  return { header, properties: event.properties };
}

/** The properties as protobuf JSON under a version, or undefined when that version is unknown or they do not decode. */
export async function decodeReplayProperties(schemaOf: ReplaySchemaLookup, name: string, version: number, bytes: Uint8Array): Promise<JsonValue | undefined> {
  try {
    const s = await schemaOf(name, version);
    return propertiesToJson(s.message, bytes, s.registry);
  } catch {
    return undefined;
  }
}

/**
 * Applies a repair to a rebuilt event: header fields first, then new properties and/or a re-encoding for
 * `toVersion` (0: the newest). Properties that do not decode under their own version are relabelled as they are.
 * Rejects when the target schema is not registered.
 */
export async function repairEvent(e: ReplayableEvent, fix: Repair, toVersion: number | undefined, schemaOf: ReplaySchemaLookup): Promise<ReplayableEvent> {
  let header = fix.header ? EventHeader.fromJSON({ ...(EventHeader.toJSON(e.header) as object), ...fix.header }) : e.header;
  let properties = e.properties;
  if (fix.properties !== undefined || toVersion !== undefined) {
    const to = await schemaOf(header.eventName, toVersion ?? header.schemaVersion);
    const json = fix.properties ?? (await decodeReplayProperties(schemaOf, header.eventName, header.schemaVersion, properties));
    if (json !== undefined) properties = propertiesFromJson(to.message, json, to.registry);
    header = { ...header, schemaVersion: to.version };
  }
  return { header, properties };
}
