-- @description ODS: every accepted event exactly once (Hudi upserts on (tenant, event_id)), partitioned by event date.
-- Keyed by tenant and event id: a tenant re-using another tenant's event id writes its own row, never theirs.
-- @param hudi_base_path file:///tmp/trackway/hudi -- base path of every warehouse table
-- @param ods_streaming_read false -- true for a table a streaming job reads continuously
-- @param ods_read_start_commit earliest -- first commit a streaming read sees
-- @param ods_buckets 4 -- buckets per event_date partition (fixed once a partition exists; see jobs/README.md)
-- @param ods_write_tasks 1 -- parallel Hudi write tasks (each owns a share of the buckets)
-- @param ods_write_task_mb 256 -- memory one write task buffers before it flushes (MB)
-- @param ods_compaction_delta_commits 10 -- compact a file group after this many commits (checkpoints)
-- @param ods_compaction_delta_seconds 600 -- … or after this many seconds, whichever comes first
-- @param ods_parquet_codec snappy -- compression of the base files compaction writes (snappy, gzip: Hudi 0.14 defaults to gzip)
-- Precombine on received_at: when a retry re-sends an event, the copy received last wins (both are equal
-- but for receive time, so the choice only makes the result deterministic).
-- BUCKET index: the key → file mapping is a hash, so no TaskManager heap holds an index of every key.
-- MERGE_ON_READ: a streaming commit appends the checkpoint's upserts to log files instead of rewriting the
-- table's parquet files (COPY_ON_WRITE slowed with every commit as the table grew); compaction folds logs
-- into parquet asynchronously inside the writing job, off the commit path. Readers merge base + logs.
-- Streaming readers (the DWS jobs) skip compaction commits: their rows were already read from the logs.
-- Commits are kept long enough (clean/archive) for a streaming reader to be ~20 min behind at 10 s checkpoints.
CREATE TABLE IF NOT EXISTS ods_events (
  -- generated:begin ods-columns (npm run generate:record, from packages/envelope/src/record/record-fields.ts)
  event_id STRING,
  tenant STRING,
  event_name STRING,
  schema_id BIGINT,
  schema_version INT,
  event_time TIMESTAMP(3),
  client_event_time TIMESTAMP(3),
  sent_at TIMESTAMP(3),
  received_at TIMESTAMP(3),
  clock_skew_ms BIGINT,
  batch_id STRING,
  user_key STRING,
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
  event_date STRING,
  PRIMARY KEY (tenant, event_id) NOT ENFORCED
  -- generated:end
) PARTITIONED BY (event_date) WITH (
  'connector' = 'hudi',
  'hoodie.embed.timeline.server' = 'false',
  'path' = '${hudi_base_path}/ods_events',
  'table.type' = 'MERGE_ON_READ',
  'precombine.field' = 'received_at',
  'index.type' = 'BUCKET',
  'hoodie.bucket.index.num.buckets' = '${ods_buckets}',
  'write.tasks' = '${ods_write_tasks}',
  'write.task.max.size' = '${ods_write_task_mb}',
  'write.merge.max_memory' = '64',
  'compaction.async.enabled' = 'true',
  'compaction.schedule.enabled' = 'true',
  'compaction.trigger.strategy' = 'num_or_time',
  'compaction.delta_commits' = '${ods_compaction_delta_commits}',
  'compaction.delta_seconds' = '${ods_compaction_delta_seconds}',
  'hoodie.parquet.compression.codec' = '${ods_parquet_codec}',
  'compaction.tasks' = '1',
  'compaction.max_memory' = '64',
  'clean.retain_commits' = '120',
  'archive.min_commits' = '130',
  'archive.max_commits' = '150',
  'read.tasks' = '1',
  'read.streaming.skip_compaction' = 'false',
  'read.streaming.enabled' = '${ods_streaming_read}',
  'read.start-commit' = '${ods_read_start_commit}',
  'read.streaming.check-interval' = '2'
);
