import type { JsonObject } from "@bufbuild/protobuf";
import { expandCommon } from "@trackway/envelope";
import { Event, type EventHeader } from "@trackway/proto/event/v1";
import type { IngestLimits } from "./limits.js";
import { decodeProperties } from "./properties.js";
import { RejectionReason, WarningReason } from "./reasons.js";
import type { ResolvedSchema, SchemaLookup } from "./schema-lookup.js";

/** A valid event: its merged header, the schema it was checked against, its properties as JSON. */
export interface ValidEvent {
  ok: true;
  header: EventHeader;
  schema: ResolvedSchema;
  properties: JsonObject;
  warnings: { reason: string; message: string }[];
}

/** An invalid event: every reason found (main first) and what could be read of its header. */
export interface InvalidEvent {
  ok: false;
  reasons: string[];
  message: string;
  header: EventHeader | undefined;
}

/** What validating one event needs besides the event. */
export interface EventCheckContext {
  common: EventHeader | undefined;
  /** The batch's `sent_at`, inherited by events whose merged header sets none. */
  batchSentAt: Date | undefined;
  /** Event names the API key may send; undefined allows every name. */
  allowedEvents: ReadonlySet<string> | undefined;
  limits: IngestLimits;
  /** Schema lookups memoised for the batch, so a batch of one event type asks the cache once. */
  lookup: (name: string, version: number) => Promise<ResolvedSchema | undefined>;
  schemas: SchemaLookup;
}

const EVENT_NAME = /^[a-z][a-z0-9]*(?:[._][a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 255;
const MAX_ID_LENGTH = 128;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

const invalid = (reasons: string[], message: string, header?: EventHeader): InvalidEvent => ({ ok: false, reasons, message, header });

/** Checks the header fields every event needs, returning the reasons found (empty when fine). */
function headerProblems(h: EventHeader): { reasons: string[]; messages: string[] } {
  const reasons: string[] = [];
  const messages: string[] = [];
  if (!h.eventId) {
    reasons.push(RejectionReason.EVENT_ID_MISSING);
    messages.push("event_id is empty in the event and in the batch's common header");
  } else if (h.eventId.length > MAX_ID_LENGTH || CONTROL_CHARS.test(h.eventId)) {
    reasons.push(RejectionReason.EVENT_ID_INVALID);
    messages.push(`event_id must be at most ${MAX_ID_LENGTH} characters without control characters`);
  }
  if (!h.eventName) {
    reasons.push(RejectionReason.EVENT_NAME_MISSING);
    messages.push("event_name is empty in the event and in the batch's common header");
  } else if (h.eventName.length > MAX_NAME_LENGTH || !EVENT_NAME.test(h.eventName)) {
    reasons.push(RejectionReason.EVENT_NAME_INVALID);
    messages.push(`event_name "${h.eventName.slice(0, 80)}" is not lowercase words separated by "." or "_"`);
  }
  return { reasons, messages };
}

/**
 * Validates one event of a batch from its original bytes: size, envelope, merged header, the key's
 * allow-list, the registry's schema version and lifecycle, and the properties against that version.
 */
export async function validateEvent(bytes: Uint8Array, ctx: EventCheckContext): Promise<ValidEvent | InvalidEvent> {
  let event: Event;
  try {
    event = Event.decode(bytes);
  } catch (e) {
    return invalid([RejectionReason.EVENT_MALFORMED], `the event is not a valid trackway.event.v1.Event: ${e instanceof Error ? e.message : String(e)}`);
  }
  const header = expandCommon(ctx.common, event.header);
  if (!header.sentAt && ctx.batchSentAt) header.sentAt = ctx.batchSentAt;
  header.attributes ??= {};

  if (bytes.length > ctx.limits.maxEventBytes) {
    return invalid([RejectionReason.EVENT_TOO_LARGE], `the event is ${bytes.length} bytes; the limit is ${ctx.limits.maxEventBytes}`, header);
  }
  const problems = headerProblems(header);
  if (problems.reasons.length > 0) return invalid(problems.reasons, problems.messages.join("; "), header);
  if (ctx.allowedEvents && !ctx.allowedEvents.has(header.eventName)) {
    return invalid([RejectionReason.EVENT_NOT_ALLOWED], `this API key may not send "${header.eventName}"`, header);
  }

  const schema = await ctx.lookup(header.eventName, header.schemaVersion);
  if (!schema) {
    if (header.schemaVersion !== 0 && (await ctx.schemas.hasSubject(header.eventName))) {
      return invalid([RejectionReason.UNKNOWN_SCHEMA_VERSION], `"${header.eventName}" has no version ${header.schemaVersion}`, header);
    }
    return invalid([RejectionReason.UNKNOWN_EVENT], `no event "${header.eventName}" is registered`, header);
  }
  if (schema.lifecycle === "disabled") {
    return invalid([RejectionReason.SCHEMA_VERSION_DISABLED], `"${header.eventName}" version ${schema.version} is disabled`, header);
  }
  const props = decodeProperties(schema.message, event.properties, schema.registry);
  if (!props.ok) {
    return invalid([props.unknownFields ? RejectionReason.PROPERTIES_UNKNOWN_FIELDS : RejectionReason.PROPERTIES_INVALID], props.message, header);
  }
  const warnings =
    schema.lifecycle === "deprecated"
      ? [{ reason: WarningReason.SCHEMA_VERSION_DEPRECATED, message: `"${header.eventName}" version ${schema.version} is deprecated` }]
      : [];
  return { ok: true, header, schema, properties: props.json, warnings };
}
