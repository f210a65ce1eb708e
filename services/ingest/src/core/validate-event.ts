import { expandCommon, hasReplacementChar, invalidUtf8Path, type JsonObject } from "@trackway/envelope";
import { Event, type EventHeader } from "@trackway/proto/event/v1";
import { EventSchema } from "@trackway/proto/es/event/v1";
import { resolveEventTime, type ResolvedTime } from "./event-time.js";
import type { IngestLimits } from "./limits.js";
import { describeViolations, type RuleCheck, type RuleViolation } from "./contract-rules.js";
import { decodeProperties } from "./properties.js";
import { RejectionReason, WarningReason } from "./reasons.js";
import type { ResolvedSchema } from "./schema-lookup.js";

/** A valid event: its merged header, the schema it was checked against, its properties as JSON. */
export interface ValidEvent {
  ok: true;
  header: EventHeader;
  schema: ResolvedSchema;
  properties: JsonObject;
  warnings: { reason: string; message: string; violations?: RuleViolation[] }[];
  /** Whether the event's own header sets no identity, session, context or attributes (all come from `common`). */
  inheritsShared: boolean;
  /** The event's times after the clock-skew rule. */
  time: AcceptedTime;
}

/** Times of an event the clock-skew rule accepted. */
export type AcceptedTime = Extract<ResolvedTime, { ok: true }>;

/** An invalid event: every reason found (main first) and what could be read of its header. */
export interface InvalidEvent {
  ok: false;
  reasons: string[];
  message: string;
  header: EventHeader | undefined;
  /** With reason CONTRACT_VIOLATION: the rules broken. */
  violations?: RuleViolation[];
  /** The schema the event was checked against, when its name and version are registered. */
  schema?: ResolvedSchema;
  /** The decoded properties (JSON, .proto names), when they decoded (CONTRACT_VIOLATION): a rejected record keeps them under the PII marks. */
  properties?: JsonObject;
}

/** An event read and its header checked; its schema is looked up next. */
export interface ReadEvent {
  ok: "read";
  header: EventHeader;
  properties: Uint8Array;
  inheritsShared: boolean;
  time: AcceptedTime;
}

/** What the registry says about an event's name and version. */
export type SchemaAnswer = { schema: ResolvedSchema } | { missing: "event" | "version" };

/** What reading one event needs besides the event. */
export interface EventReadContext {
  common: EventHeader | undefined;
  /** The batch's `sent_at`, inherited by events whose merged header sets none. */
  batchSentAt: Date | undefined;
  /** Event names the API key may send; undefined allows every name. */
  allowedEvents: ReadonlySet<string> | undefined;
  limits: IngestLimits;
  /** When ingest received the batch, ms since epoch: the clock-skew rule's reference. */
  receivedAt: number;
  /** Path of a common-header string that is not valid UTF-8 (every event of the batch inherits it), if any. */
  commonInvalidUtf8?: string | undefined;
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

/** Whether an event's own header leaves identity, session, context and attributes to the batch's common header. */
function inherits(own: EventHeader | undefined): boolean {
  return !own || (!own.identity && !own.sessionId && !own.context && Object.keys(own.attributes ?? {}).length === 0);
}

/**
 * Reads one event of a batch from its original bytes and checks what needs no registry: size, envelope,
 * merged header and the key's allow-list.
 */
export function readEvent(bytes: Uint8Array, ctx: EventReadContext): ReadEvent | InvalidEvent {
  let event: Event;
  try {
    event = Event.decode(bytes);
  } catch (e) {
    return invalid([RejectionReason.EVENT_MALFORMED], `the event is not a valid trackway.event.v1.Event: ${e instanceof Error ? e.message : String(e)}`);
  }
  const inheritsShared = inherits(event.header);
  const header = expandCommon(ctx.common, event.header);
  if (!header.sentAt && ctx.batchSentAt) header.sentAt = ctx.batchSentAt;
  header.attributes ??= {};

  if (bytes.length > ctx.limits.maxEventBytes) {
    return invalid([RejectionReason.EVENT_TOO_LARGE], `the event is ${bytes.length} bytes; the limit is ${ctx.limits.maxEventBytes}`, header);
  }
  // Decoders turn invalid UTF-8 into U+FFFD silently: only then are the raw bytes read again, strictly.
  const badUtf8 = ctx.commonInvalidUtf8 ?? (hasReplacementChar(event.header) ? invalidUtf8Path(EventSchema, bytes) : undefined);
  if (badUtf8) return invalid([RejectionReason.INVALID_UTF8], `${badUtf8} is not valid UTF-8`, header);
  const problems = headerProblems(header);
  if (problems.reasons.length > 0) return invalid(problems.reasons, problems.messages.join("; "), header);
  const time = resolveEventTime(header.eventTime, header.sentAt, ctx.receivedAt, ctx.limits);
  if (!time.ok) return invalid([RejectionReason.EVENT_TIME_OUT_OF_RANGE], time.message, header);
  if (ctx.allowedEvents && !ctx.allowedEvents.has(header.eventName)) {
    return invalid([RejectionReason.EVENT_NOT_ALLOWED], `this API key may not send "${header.eventName}"`, header);
  }
  return { ok: "read", header, properties: event.properties, inheritsShared, time };
}

/**
 * Checks a read event against what the registry said: known, not disabled, properties that decode (deprecated: a
 * warning), then the contract's protovalidate rules when `rules` is given (REJECT: rejected, WARN: a warning, OFF: skipped).
 */
export function checkEvent(e: ReadEvent, answer: SchemaAnswer, rules?: RuleCheck): ValidEvent | InvalidEvent {
  const { header } = e;
  if ("missing" in answer) {
    return answer.missing === "version"
      ? invalid([RejectionReason.UNKNOWN_SCHEMA_VERSION], `"${header.eventName}" has no version ${header.schemaVersion}`, header)
      : invalid([RejectionReason.UNKNOWN_EVENT], `no event "${header.eventName}" is registered`, header);
  }
  const { schema } = answer;
  if (schema.lifecycle === "disabled") {
    return { ...invalid([RejectionReason.SCHEMA_VERSION_DISABLED], `"${header.eventName}" version ${schema.version} is disabled`, header), schema };
  }
  const props = decodeProperties(schema.message, e.properties, schema.registry);
  if (!props.ok) {
    return { ...invalid([props.unknownFields ? RejectionReason.PROPERTIES_UNKNOWN_FIELDS : RejectionReason.PROPERTIES_INVALID], props.message, header), schema };
  }
  const enforcement = schema.enforcement ?? "REJECT";
  const violations = rules && enforcement !== "OFF" ? rules.check(schema.schemaId, schema.message, props.message, schema.registry) : [];
  if (violations.length > 0 && enforcement === "REJECT") {
    return { ...invalid([RejectionReason.CONTRACT_VIOLATION], describeViolations(violations), header), violations, schema, properties: props.json };
  }
  const warnings: ValidEvent["warnings"] = [];
  if (schema.lifecycle === "deprecated") {
    warnings.push({ reason: WarningReason.SCHEMA_VERSION_DEPRECATED, message: `"${header.eventName}" version ${schema.version} is deprecated` });
  }
  if (e.time.clamped) {
    warnings.push({ reason: WarningReason.EVENT_TIME_CLAMPED, message: "the event time lay too far after the receive time; the receive time stands in" });
  }
  if (violations.length > 0) warnings.push({ reason: WarningReason.CONTRACT_VIOLATION, message: describeViolations(violations), violations });
  return { ok: true, header, schema, properties: props.json, warnings, inheritsShared: e.inheritsShared, time: e.time };
}
