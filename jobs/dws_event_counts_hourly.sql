-- @description DWS: distinct events and distinct users per tenant, event name and UTC hour.
-- @modes STREAMING,BATCH
-- @tables ods_events,dws_events,dws_event_counts_hourly
-- @param checkpoint_interval 10s -- streaming results become visible on checkpoints
-- @param mini_batch_latency 2s -- streaming: an aggregate emits a changed bucket at most once per this (and on every checkpoint)
-- @param mini_batch_size 5000 -- … or after this many input rows
-- @param state_ttl 48h -- how long streaming keeps a bucket's state (see below)
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
-- * GROUP BY exactly the table's primary key; event_date is derived from the bucket (it is the bucket's UTC day,
--   as ODS derives it from the same event_time). With the group key equal to the key the planner adds no
--   SinkMaterializer and sends one upsert per changed bucket instead of a retraction and an insert (two Hudi
--   writes per event before; measured in jobs/README.md, "Keeping up").
-- * Mini-batch (streaming only; BATCH ignores it): the aggregate buffers input for mini_batch_latency or
--   mini_batch_size rows and emits each changed bucket once, so Hudi gets a few rows per batch, not one per event.
-- * State in RocksDB (state_backend), checkpointed incrementally. A distinct count keeps every id of a bucket in a
--   MapState. On the heap backend with a state TTL, Flink 1.17 runs an incremental TTL cleanup on every state access
--   that copies the whole map of up to five buckets (TtlMapState.getUnexpiredOrNull), so each event cost as much as
--   its bucket's size and a busy hour went quadratic; a heap checkpoint also wrote every id again. RocksDB keeps one
--   entry per id, expires them in compaction and checkpoints only new files (jobs/README.md, "Keeping up").
SET 'execution.checkpointing.interval' = '${checkpoint_interval}';
SET 'table.local-time-zone' = 'UTC';
SET 'table.exec.state.ttl' = '${state_ttl}';
SET 'state.backend.type' = '${state_backend}';
SET 'state.backend.incremental' = 'true';
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '${mini_batch_latency}';
SET 'table.exec.mini-batch.size' = '${mini_batch_size}';
INSERT INTO dws_event_counts_hourly
SELECT tenant, event_name, hour_start, COUNT(DISTINCT event_id), COUNT(DISTINCT user_key), DATE_FORMAT(hour_start, 'yyyy-MM-dd')
FROM (
  SELECT tenant, event_name, event_id, user_key, FLOOR(event_time TO HOUR) AS hour_start
  FROM dws_events
)
GROUP BY tenant, event_name, hour_start;
