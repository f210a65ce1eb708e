-- @description ODS: trackway.events.v1 (Kafka, json) → Hudi ods_events, each event once by event_id.
-- @modes STREAMING,BATCH
-- @tables kafka_events,ods_events
-- @param checkpoint_interval 10s -- streaming writes commit on checkpoints: this bounds freshness
-- @batch-param kafka_bounded_mode latest-offset
--
-- STREAMING is the normal run: continuous, committing every checkpoint. BATCH re-reads the topic up to its
-- latest offsets (a rebuild after a fix); because the record key is event_id and the precombine field is
-- the receive time, a rebuild or a retried event upserts the same rows and never doubles them.
SET 'execution.checkpointing.interval' = '${checkpoint_interval}';
SET 'table.local-time-zone' = 'UTC';
INSERT INTO ods_events
SELECT
  event_id, tenant, event_name, schema_id, schema_version,
  CAST(TO_TIMESTAMP_LTZ(event_time, 3) AS TIMESTAMP(3)),
  CAST(TO_TIMESTAMP_LTZ(client_event_time, 3) AS TIMESTAMP(3)),
  CAST(TO_TIMESTAMP_LTZ(sent_at, 3) AS TIMESTAMP(3)),
  CAST(TO_TIMESTAMP_LTZ(received_at, 3) AS TIMESTAMP(3)),
  clock_skew_ms, batch_id,
  COALESCE(identity_key, user_id, anonymous_id, device_id),
  user_id, anonymous_id, device_id, session_id,
  app_name, app_version, os_name, os_version, device_manufacturer, device_model, device_type,
  locale, timezone, library_name, library_version, page_path, page_url, page_title, screen_name,
  referrer_type, referrer_url, campaign_name, campaign_source, campaign_medium, user_agent, client_ip,
  attributes, properties, warnings,
  DATE_FORMAT(CAST(TO_TIMESTAMP_LTZ(event_time, 3) AS TIMESTAMP(3)), 'yyyy-MM-dd')
FROM kafka_events
WHERE event_id IS NOT NULL AND event_time IS NOT NULL;
