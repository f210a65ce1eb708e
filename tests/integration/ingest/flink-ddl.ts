/**
 * The Flink SQL table over the enriched events topic, as documented in services/ingest/README.md (bounded at
 * the topic's current end, for a BATCH query in a test).
 */
export const eventsTableDdl = (table: string, topic: string, brokers: string) => `
CREATE TABLE ${table} (
  event_id STRING, event_name STRING, schema_id BIGINT, schema_version INT, tenant STRING,
  event_time BIGINT, event_date STRING, client_event_time BIGINT, sent_at BIGINT, received_at BIGINT, clock_skew_ms BIGINT,
  batch_id STRING, identity_key STRING, user_id STRING, anonymous_id STRING, device_id STRING, session_id STRING,
  app_name STRING, app_version STRING, app_build STRING, app_namespace STRING, os_name STRING, os_version STRING,
  device_manufacturer STRING, device_model STRING, device_type STRING, device_advertising_id STRING,
  network_carrier STRING, network_wifi BOOLEAN, network_cellular BOOLEAN, network_bluetooth BOOLEAN,
  locale STRING, timezone STRING, library_name STRING, library_version STRING,
  page_path STRING, page_url STRING, page_title STRING, page_search STRING,
  screen_name STRING, screen_width INT, screen_height INT, screen_density DOUBLE,
  referrer_type STRING, referrer_name STRING, referrer_url STRING, referrer_link STRING,
  campaign_name STRING, campaign_source STRING, campaign_medium STRING, campaign_term STRING, campaign_content STRING,
  user_agent STRING, context_ip STRING, client_ip STRING,
  attributes MAP<STRING, STRING>, properties STRING, warnings ARRAY<STRING>,
  ts AS TO_TIMESTAMP_LTZ(event_time, 3)
) WITH (
  'connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${brokers}',
  'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset',
  'format' = 'json', 'json.ignore-parse-errors' = 'false'
)`;
