-- @description ODS: trackway.events.v1 (Kafka, json) → Hudi ods_events, each event once by (tenant, event_id).
-- @modes STREAMING,BATCH
-- @tables kafka_events,ods_events
-- @param checkpoint_interval 10s -- streaming writes commit on checkpoints: this bounds freshness
-- @param parallelism 1 -- parallelism of the Kafka source and the ODS operators (at most the topic's partitions)
-- @batch-param kafka_bounded_mode latest-offset
--
-- STREAMING is the normal run: continuous, committing every checkpoint. BATCH re-reads the topic up to its
-- latest offsets (a rebuild after a fix); because the record key is (tenant, event_id) and the precombine
-- field is the receive time, a rebuild or a retried event upserts the same rows and never doubles them.
-- The SELECT list is generated from the record contract: every field ingest writes reaches ods_events.
-- The only filter drops rows with no key, which ingest never writes (it refuses an event without an id and
-- stamps every record with its tenant); a record from another producer without them cannot be keyed in Hudi.
SET 'execution.checkpointing.interval' = '${checkpoint_interval}';
SET 'table.local-time-zone' = 'UTC';
SET 'parallelism.default' = '${parallelism}';
INSERT INTO ods_events
SELECT
  -- generated:begin ods-select (npm run generate:record, from packages/envelope/src/record/record-fields.ts)
  event_id,
  tenant,
  event_name,
  schema_id,
  schema_version,
  CAST(TO_TIMESTAMP_LTZ(COALESCE(event_time, received_at), 3) AS TIMESTAMP(3)), -- event_time
  CAST(TO_TIMESTAMP_LTZ(client_event_time, 3) AS TIMESTAMP(3)), -- client_event_time
  CAST(TO_TIMESTAMP_LTZ(sent_at, 3) AS TIMESTAMP(3)), -- sent_at
  CAST(TO_TIMESTAMP_LTZ(received_at, 3) AS TIMESTAMP(3)), -- received_at
  clock_skew_ms,
  batch_id,
  COALESCE(identity_key, user_id, anonymous_id, device_id), -- user_key
  user_id,
  anonymous_id,
  device_id,
  session_id,
  app_name,
  app_version,
  os_name,
  os_version,
  device_manufacturer,
  device_model,
  device_type,
  locale,
  timezone,
  library_name,
  library_version,
  page_path,
  page_url,
  page_title,
  screen_name,
  referrer_type,
  referrer_url,
  campaign_name,
  campaign_source,
  campaign_medium,
  user_agent,
  client_ip,
  attributes,
  properties,
  warnings,
  app_build,
  app_namespace,
  device_advertising_id,
  network_carrier,
  network_wifi,
  network_cellular,
  network_bluetooth,
  page_search,
  screen_width,
  screen_height,
  screen_density,
  referrer_name,
  referrer_link,
  campaign_term,
  campaign_content,
  context_ip,
  DATE_FORMAT(CAST(TO_TIMESTAMP_LTZ(COALESCE(event_time, received_at), 3) AS TIMESTAMP(3)), 'yyyy-MM-dd') -- event_date
  -- generated:end
FROM kafka_events
WHERE event_id IS NOT NULL AND tenant IS NOT NULL;
