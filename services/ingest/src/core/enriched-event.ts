import type { EnrichedEvent, JsonObject } from "@trackway/envelope";
import type { Context, EventHeader } from "@trackway/proto/event/v1";
import type { AcceptedTime } from "./validate-event.js";

/** The record contract lives in `@trackway/envelope` (record/record-fields.ts): every field with its Flink column. */
export type { EnrichedEvent };

type Flat = Partial<EnrichedEvent>;

function put<K extends keyof Flat>(out: Flat, key: K, value: Flat[K] | "" | 0 | null | undefined): void {
  if (value !== undefined && value !== null && value !== "" && value !== 0) out[key] = value as Flat[K];
}

/** Flattens the header's context into `out`, one column per leaf field, leaving unset ones out. */
export function flattenContext(c: Context | undefined, out: Flat): void {
  if (!c) return;
  put(out, "app_name", c.app?.name);
  put(out, "app_version", c.app?.version);
  put(out, "app_build", c.app?.build);
  put(out, "app_namespace", c.app?.namespace);
  put(out, "os_name", c.os?.name);
  put(out, "os_version", c.os?.version);
  put(out, "device_manufacturer", c.device?.manufacturer);
  put(out, "device_model", c.device?.model);
  put(out, "device_type", c.device?.type);
  put(out, "device_advertising_id", c.device?.advertisingId);
  put(out, "network_carrier", c.network?.carrier);
  // Optional booleans: an explicit false is a value.
  if (c.network?.wifi !== undefined) out.network_wifi = c.network.wifi;
  if (c.network?.cellular !== undefined) out.network_cellular = c.network.cellular;
  if (c.network?.bluetooth !== undefined) out.network_bluetooth = c.network.bluetooth;
  put(out, "locale", c.locale);
  put(out, "timezone", c.timezone);
  put(out, "library_name", c.library?.name);
  put(out, "library_version", c.library?.version);
  put(out, "page_path", c.page?.path);
  put(out, "page_url", c.page?.url);
  put(out, "page_title", c.page?.title);
  put(out, "page_search", c.page?.search);
  put(out, "screen_name", c.screen?.name);
  put(out, "screen_width", c.screen?.width);
  put(out, "screen_height", c.screen?.height);
  put(out, "screen_density", c.screen?.density);
  put(out, "referrer_type", c.referrer?.type);
  put(out, "referrer_name", c.referrer?.name);
  put(out, "referrer_url", c.referrer?.url);
  put(out, "referrer_link", c.referrer?.link);
  put(out, "campaign_name", c.campaign?.name);
  put(out, "campaign_source", c.campaign?.source);
  put(out, "campaign_medium", c.campaign?.medium);
  put(out, "campaign_term", c.campaign?.term);
  put(out, "campaign_content", c.campaign?.content);
  put(out, "user_agent", c.userAgent);
  put(out, "context_ip", c.ip);
}

/** What enrichment adds to a valid event. */
export interface Enrichment {
  tenant: string;
  schemaId: number;
  schemaVersion: number;
  receivedAt: number;
  clientIp: string | undefined;
  batchId: string;
  identityKey: string;
  properties: JsonObject;
  warnings: string[];
  /** The event's times after the clock-skew rule (event-time.ts). */
  time: AcceptedTime;
}

// Events of a batch mostly share a day: remember the last one formatted.
let lastDay = { start: 0, end: -1, text: "" };
function utcDate(ms: number): string {
  if (ms < lastDay.start || ms >= lastDay.end) {
    const start = ms - (((ms % 86_400_000) + 86_400_000) % 86_400_000);
    lastDay = { start, end: start + 86_400_000, text: new Date(ms).toISOString().slice(0, 10) };
  }
  return lastDay.text;
}

/**
 * The columns of an enriched record that belong to the event itself: ids, schema, times, properties,
 * warnings. The times are those the clock-skew rule settled (event-time.ts).
 */
export function eventColumns(header: EventHeader, e: Pick<Enrichment, "tenant" | "schemaId" | "schemaVersion" | "receivedAt" | "properties" | "warnings" | "time">): EnrichedEvent {
  const { eventTime, clientEventTime, sentAt, skewMs } = e.time;
  const out: EnrichedEvent = {
    event_id: header.eventId,
    event_name: header.eventName,
    schema_id: e.schemaId,
    schema_version: e.schemaVersion,
    tenant: e.tenant,
    event_time: eventTime,
    event_date: utcDate(eventTime),
    received_at: e.receivedAt,
    properties: e.properties,
  };
  if (clientEventTime !== undefined) out.client_event_time = clientEventTime;
  if (sentAt !== undefined) out.sent_at = sentAt;
  if (skewMs !== undefined) out.clock_skew_ms = skewMs;
  if (e.warnings.length > 0) out.warnings = e.warnings;
  return out;
}

/**
 * The columns that come from who and where: identity, session, context, attributes, the batch and the
 * client IP. Every event of a batch that sets none of these itself shares them, so ingest serialises them
 * once per batch.
 */
export function sharedColumns(header: EventHeader, e: Pick<Enrichment, "batchId" | "identityKey" | "clientIp">): Partial<EnrichedEvent> {
  const out: Partial<EnrichedEvent> = {};
  put(out, "batch_id", e.batchId);
  put(out, "identity_key", e.identityKey);
  put(out, "user_id", header.identity?.userId);
  put(out, "anonymous_id", header.identity?.anonymousId);
  put(out, "device_id", header.identity?.deviceId);
  put(out, "session_id", header.sessionId);
  flattenContext(header.context, out);
  put(out, "client_ip", e.clientIp);
  if (header.attributes && Object.keys(header.attributes).length > 0) out.attributes = header.attributes;
  return out;
}

/** Builds the enriched record of a valid event from its merged header. */
export function enrichEvent(header: EventHeader, e: Enrichment): EnrichedEvent {
  return { ...eventColumns(header, e), ...sharedColumns(header, e) };
}

/** The JSON of a record from its event columns and the batch's shared columns already serialised (`"k":v,…`, no braces). */
export function recordJson(event: EnrichedEvent, sharedFragment: string): string {
  const own = JSON.stringify(event);
  return sharedFragment ? `${own.slice(0, -1)},${sharedFragment}}` : own;
}

/** Serialises shared columns once, as the fragment `recordJson` appends. */
export function sharedFragment(shared: Partial<EnrichedEvent>): string {
  return JSON.stringify(shared).slice(1, -1);
}
