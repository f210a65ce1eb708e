-- @description DWS: events, distinct users and the latest receive time per tenant, event name and UTC day.
-- @modes STREAMING,BATCH
-- @tables ods_events,dws_events,dws_event_activity_daily
-- @param checkpoint_interval 10s -- streaming results become visible on checkpoints
-- @param mini_batch_latency 2s -- streaming: an aggregate emits a changed bucket at most once per this (and on every checkpoint)
-- @param mini_batch_size 5000 -- … or after this many input rows
-- @param state_ttl 48h -- how long streaming keeps a bucket's state (see dws_event_counts_hourly.sql)
-- @param state_backend rocksdb -- streaming state: rocksdb (incremental checkpoints) or hashmap (heap; see jobs/README.md, "Keeping up")
-- @streaming-param ods_streaming_read true
--
-- One SQL for both modes, built like dws_event_counts_hourly: a bucket is a group key (no window, no
-- watermark), so a late event updates its own bucket whenever it arrives, and distinct counts make a re-read
-- commit harmless; it groups by exactly the primary key (event_date derived from the bucket) and uses mini-batch.
-- The compute gateway answers event counts and distinct users by day (and counts by
-- coarser buckets) from this table when a question has no filter or breakdown (services/compute-gateway).
SET 'execution.checkpointing.interval' = '${checkpoint_interval}';
SET 'table.local-time-zone' = 'UTC';
SET 'table.exec.state.ttl' = '${state_ttl}';
SET 'state.backend.type' = '${state_backend}';
SET 'state.backend.incremental' = 'true';
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '${mini_batch_latency}';
SET 'table.exec.mini-batch.size' = '${mini_batch_size}';
INSERT INTO dws_event_activity_daily
SELECT tenant, event_name, bucket_start, COUNT(DISTINCT event_id), COUNT(DISTINCT user_key), MAX(received_at), DATE_FORMAT(bucket_start, 'yyyy-MM-dd')
FROM (
  SELECT tenant, event_name, event_id, user_key, received_at, FLOOR(event_time TO DAY) AS bucket_start
  FROM dws_events
)
GROUP BY tenant, event_name, bucket_start;
