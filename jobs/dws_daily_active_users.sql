-- @description DWS: distinct active users per tenant and UTC day.
-- @modes STREAMING,BATCH
-- @tables ods_events,dws_events,dws_daily_active_users
-- @param checkpoint_interval 10s -- streaming results become visible on checkpoints
-- @param mini_batch_latency 2s -- streaming: an aggregate emits a changed bucket at most once per this (and on every checkpoint)
-- @param mini_batch_size 5000 -- … or after this many input rows
-- @param state_ttl 48h -- how long streaming keeps a bucket's state (see dws_event_counts_hourly.sql)
-- @param state_backend rocksdb -- streaming state: rocksdb (incremental checkpoints) or hashmap (heap; see jobs/README.md, "Keeping up")
-- @streaming-param ods_streaming_read true
--
-- One SQL for both modes. In BATCH mode it reads ods_events as it is and computes each bucket once; a
-- backfill of a past day passes from_date = to_date = that day and upserts that day's rows.
-- In STREAMING mode it reads ods_events incrementally (every Hudi commit) and keeps one running aggregate
-- per bucket; each update upserts the bucket's row, so the table converges to the BATCH answer:
-- * No windows and no watermarks: a bucket is a group key (the hour or day of the event time), so a late or
--   out-of-order event updates its own bucket whenever it arrives, instead of being dropped after a window fired.
-- * COUNT(DISTINCT event_id) and COUNT(DISTINCT user_key) inside GROUP BY tenant: an event is identified by
--   (tenant, event_id), so another tenant re-using an id counts in its own row only; a duplicate event (a client retry that reached
--   ods_events twice before its upsert, or a re-read commit) changes nothing, as in BATCH over deduplicated ODS.
-- * State TTL: a bucket's state is dropped after state_ttl without updates. An event later than that would
--   restart its bucket's count; run a BATCH backfill of that day to repair it (the rows are replaced by key).
-- * Mini-batch (streaming only): each changed day is emitted once per batch (see dws_event_counts_hourly.sql).
SET 'execution.checkpointing.interval' = '${checkpoint_interval}';
SET 'table.local-time-zone' = 'UTC';
SET 'table.exec.state.ttl' = '${state_ttl}';
SET 'state.backend.type' = '${state_backend}';
SET 'state.backend.incremental' = 'true';
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '${mini_batch_latency}';
SET 'table.exec.mini-batch.size' = '${mini_batch_size}';
INSERT INTO dws_daily_active_users
SELECT tenant, event_date, COUNT(DISTINCT user_key)
FROM dws_events
GROUP BY tenant, event_date;
