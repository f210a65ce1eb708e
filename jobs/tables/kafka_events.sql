-- @description The enriched-events topic as Flink reads it: the JSON ingest writes, one column per field of
-- the record contract (packages/envelope/src/record/record-fields.ts; the columns below are generated from it).
-- @param kafka_brokers 127.0.0.1:9092 -- Kafka bootstrap servers
-- @param events_topic trackway.events.v1 -- topic of enriched events
-- @param kafka_group_id trackway-ods -- consumer group of the reading job
-- @param kafka_startup_mode earliest-offset -- where a job without state starts reading
-- @param kafka_bounded_mode unbounded -- `latest-offset` makes the source bounded (BATCH runs over the topic)
-- Times are epoch milliseconds in the JSON; the ODS job turns them into UTC timestamps.
-- `properties` is a JSON object in the topic; as a STRING column Flink's json format keeps its JSON text.
CREATE TEMPORARY TABLE IF NOT EXISTS kafka_events (
  -- generated:begin kafka-columns (npm run generate:record, from packages/envelope/src/record/record-fields.ts)
  event_id STRING,
  tenant STRING,
  event_name STRING,
  schema_id BIGINT,
  schema_version INT,
  event_time BIGINT,
  client_event_time BIGINT,
  sent_at BIGINT,
  received_at BIGINT,
  clock_skew_ms BIGINT,
  batch_id STRING,
  identity_key STRING,
  user_id STRING,
  anonymous_id STRING,
  device_id STRING,
  session_id STRING,
  app_name STRING,
  app_version STRING,
  os_name STRING,
  os_version STRING,
  device_manufacturer STRING,
  device_model STRING,
  device_type STRING,
  locale STRING,
  timezone STRING,
  library_name STRING,
  library_version STRING,
  page_path STRING,
  page_url STRING,
  page_title STRING,
  screen_name STRING,
  referrer_type STRING,
  referrer_url STRING,
  campaign_name STRING,
  campaign_source STRING,
  campaign_medium STRING,
  user_agent STRING,
  client_ip STRING,
  attributes MAP<STRING, STRING>,
  properties STRING,
  warnings ARRAY<STRING>,
  app_build STRING,
  app_namespace STRING,
  device_advertising_id STRING,
  network_carrier STRING,
  network_wifi BOOLEAN,
  network_cellular BOOLEAN,
  network_bluetooth BOOLEAN,
  page_search STRING,
  screen_width BIGINT,
  screen_height BIGINT,
  screen_density DOUBLE,
  referrer_name STRING,
  referrer_link STRING,
  campaign_term STRING,
  campaign_content STRING,
  context_ip STRING,
  event_date STRING
  -- generated:end
) WITH (
  'connector' = 'kafka',
  'topic' = '${events_topic}',
  'properties.bootstrap.servers' = '${kafka_brokers}',
  'properties.group.id' = '${kafka_group_id}',
  'scan.startup.mode' = '${kafka_startup_mode}',
  'scan.bounded.mode' = '${kafka_bounded_mode}',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);
