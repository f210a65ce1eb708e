import type { EnrichedEvent } from "./enriched-event.js";

/** A Flink SQL type a record field is read as. */
export type FlinkType = "STRING" | "BIGINT" | "INT" | "BOOLEAN" | "DOUBLE" | "MAP<STRING, STRING>" | "ARRAY<STRING>";

/** How one field of the enriched record is read from Kafka and kept in `ods_events`. */
export interface RecordField {
  /** Where the value comes from: an `EventHeader` path (`header.context.app.build`) or `ingest` for what ingest adds. */
  source: string;
  /** Its Flink SQL type in `kafka_events` (the JSON value as Flink's json format reads it). */
  kafka: FlinkType;
  /** How `ods_events` keeps it, when not as the same column with the same type. */
  ods?: { column?: string; type: string; expr: string };
}

const epochMs = (field: string, source: string): RecordField => ({
  source,
  kafka: "BIGINT",
  ods: { type: "TIMESTAMP(3)", expr: `CAST(TO_TIMESTAMP_LTZ(${field}, 3) AS TIMESTAMP(3))` },
});
const str = (source: string): RecordField => ({ source, kafka: "STRING" });

// Records written before ingest checked time ranges may lack event_time: they keep their receive time
// instead of being dropped (no acknowledged event is filtered out downstream).
const EVENT_TIME = "COALESCE(event_time, received_at)";

/**
 * Every field of the enriched record, in `ods_events` column order. The mapped type makes the compiler
 * refuse a field of `EnrichedEvent` that is missing here (or one here that the record does not have), so the
 * warehouse DDL generated from this table (`kafkaColumns`, `odsColumns`) can never drop a field ingest writes.
 */
export const RECORD_FIELDS: { readonly [K in keyof Required<EnrichedEvent>]: RecordField } = {
  event_id: str("header.event_id"),
  tenant: str("ingest"),
  event_name: str("header.event_name"),
  schema_id: { source: "ingest", kafka: "BIGINT" },
  schema_version: { source: "header.schema_version", kafka: "INT" },
  event_time: { source: "header.event_time", kafka: "BIGINT", ods: { type: "TIMESTAMP(3)", expr: `CAST(TO_TIMESTAMP_LTZ(${EVENT_TIME}, 3) AS TIMESTAMP(3))` } },
  client_event_time: epochMs("client_event_time", "header.event_time"),
  sent_at: epochMs("sent_at", "header.sent_at"),
  received_at: epochMs("received_at", "ingest"),
  clock_skew_ms: { source: "ingest", kafka: "BIGINT" },
  batch_id: str("ingest"),
  identity_key: { source: "ingest", kafka: "STRING", ods: { column: "user_key", type: "STRING", expr: "COALESCE(identity_key, user_id, anonymous_id, device_id)" } },
  user_id: str("header.identity.user_id"),
  anonymous_id: str("header.identity.anonymous_id"),
  device_id: str("header.identity.device_id"),
  session_id: str("header.session_id"),
  app_name: str("header.context.app.name"),
  app_version: str("header.context.app.version"),
  os_name: str("header.context.os.name"),
  os_version: str("header.context.os.version"),
  device_manufacturer: str("header.context.device.manufacturer"),
  device_model: str("header.context.device.model"),
  device_type: str("header.context.device.type"),
  locale: str("header.context.locale"),
  timezone: str("header.context.timezone"),
  library_name: str("header.context.library.name"),
  library_version: str("header.context.library.version"),
  page_path: str("header.context.page.path"),
  page_url: str("header.context.page.url"),
  page_title: str("header.context.page.title"),
  screen_name: str("header.context.screen.name"),
  referrer_type: str("header.context.referrer.type"),
  referrer_url: str("header.context.referrer.url"),
  campaign_name: str("header.context.campaign.name"),
  campaign_source: str("header.context.campaign.source"),
  campaign_medium: str("header.context.campaign.medium"),
  user_agent: str("header.context.user_agent"),
  client_ip: str("ingest"),
  attributes: { source: "header.attributes", kafka: "MAP<STRING, STRING>" },
  properties: { source: "event.properties", kafka: "STRING" },
  warnings: { source: "ingest", kafka: "ARRAY<STRING>" },
  app_build: str("header.context.app.build"),
  app_namespace: str("header.context.app.namespace"),
  device_advertising_id: str("header.context.device.advertising_id"),
  network_carrier: str("header.context.network.carrier"),
  network_wifi: { source: "header.context.network.wifi", kafka: "BOOLEAN" },
  network_cellular: { source: "header.context.network.cellular", kafka: "BOOLEAN" },
  network_bluetooth: { source: "header.context.network.bluetooth", kafka: "BOOLEAN" },
  page_search: str("header.context.page.search"),
  // uint32 in the envelope: BIGINT holds every value.
  screen_width: { source: "header.context.screen.width", kafka: "BIGINT" },
  screen_height: { source: "header.context.screen.height", kafka: "BIGINT" },
  screen_density: { source: "header.context.screen.density", kafka: "DOUBLE" },
  referrer_name: str("header.context.referrer.name"),
  referrer_link: str("header.context.referrer.link"),
  campaign_term: str("header.context.campaign.term"),
  campaign_content: str("header.context.campaign.content"),
  context_ip: str("header.context.ip"),
  // Recomputed from the column above so that a record of any age gets the date of the time it is stored with.
  event_date: { source: "ingest", kafka: "STRING", ods: { type: "STRING", expr: `DATE_FORMAT(CAST(TO_TIMESTAMP_LTZ(${EVENT_TIME}, 3) AS TIMESTAMP(3)), 'yyyy-MM-dd')` } },
};

/** The key of a warehouse row: no tenant can overwrite another's event by re-using its id. */
export const ODS_PRIMARY_KEY = ["tenant", "event_id"] as const;
