import type { JsonObject } from "@bufbuild/protobuf";

/**
 * An accepted event as ingest writes it to `trackway.events.v1`: one flat JSON object that Flink's `json`
 * format (and any JSON reader) maps to columns. Times are milliseconds since the Unix epoch (UTC), read
 * in Flink SQL as `BIGINT` and turned into a time with `TO_TIMESTAMP_LTZ(event_time, 3)`. A field that
 * is unset in the event (empty string, zero, absent) is left out of the object: absent means NULL.
 * Every field has its Flink column in `RECORD_FIELDS` (record-fields.ts), from which the warehouse DDL is generated.
 */
export interface EnrichedEvent {
  event_id: string;
  /** Tenant of the API key that sent the event. */
  tenant: string;
  event_name: string;
  /** Global id of the schema the properties were decoded with. */
  schema_id: number;
  /** The version within the subject (0 sent by the client resolved to the latest). */
  schema_version: number;
  /** When the event happened, corrected for the client's clock skew (and clamped, see warnings); ms since epoch. */
  event_time: number;
  /** The event time as the client's clock said; ms since epoch. Absent when the client sent none. */
  client_event_time?: number;
  /** When the client sent the event, by its clock; ms since epoch. */
  sent_at?: number;
  /** When ingest received the batch; ms since epoch. */
  received_at: number;
  /** `received_at - sent_at`: how far the client's clock is behind (negative: ahead), network time included. */
  clock_skew_ms?: number;
  batch_id?: string;
  /** The partitioning key: the first of user_id, anonymous_id, device_id that is set. */
  identity_key?: string;
  user_id?: string;
  anonymous_id?: string;
  device_id?: string;
  session_id?: string;
  app_name?: string;
  app_version?: string;
  os_name?: string;
  os_version?: string;
  device_manufacturer?: string;
  device_model?: string;
  device_type?: string;
  locale?: string;
  timezone?: string;
  library_name?: string;
  library_version?: string;
  page_path?: string;
  page_url?: string;
  page_title?: string;
  screen_name?: string;
  referrer_type?: string;
  referrer_url?: string;
  campaign_name?: string;
  campaign_source?: string;
  campaign_medium?: string;
  user_agent?: string;
  /** The IP address ingest saw the call come from. */
  client_ip?: string;
  /** Free-form string attributes (Flink: `MAP<STRING, STRING>`). */
  attributes?: Record<string, string>;
  /** The typed properties in protobuf's JSON mapping with the .proto field names (Flink: a `STRING` of JSON). */
  properties: JsonObject;
  /** Warning codes of an accepted event, for example `SCHEMA_VERSION_DEPRECATED` or `EVENT_TIME_CLAMPED`. */
  warnings?: string[];
  app_build?: string;
  app_namespace?: string;
  device_advertising_id?: string;
  network_carrier?: string;
  network_wifi?: boolean;
  network_cellular?: boolean;
  network_bluetooth?: boolean;
  page_search?: string;
  screen_width?: number;
  screen_height?: number;
  screen_density?: number;
  referrer_name?: string;
  referrer_link?: string;
  campaign_term?: string;
  campaign_content?: string;
  /** The IP address the client reported in `context.ip`. */
  context_ip?: string;
  /** `event_time`'s UTC date, `YYYY-MM-DD`, for partitioning. */
  event_date: string;
}
