-- @description DWS: events, distinct users and the latest receive time per tenant, event name and UTC day.
-- Keyed by (tenant, event_name, bucket_start): a recomputation upserts the same keys instead of adding rows.
-- last_received_at says how fresh a row is: structured queries answered from this table report the table's
-- latest last_received_at as "complete up to".
CREATE TABLE IF NOT EXISTS dws_event_activity_daily (
  tenant STRING,
  event_name STRING,
  bucket_start TIMESTAMP(3),
  event_count BIGINT,
  unique_users BIGINT,
  last_received_at TIMESTAMP(3),
  event_date STRING,
  PRIMARY KEY (tenant, event_name, bucket_start) NOT ENFORCED
) PARTITIONED BY (event_date) WITH (
  'connector' = 'hudi',
  'hoodie.embed.timeline.server' = 'false',
  'path' = '${hudi_base_path}/dws_event_activity_daily',
  'table.type' = 'COPY_ON_WRITE',
  'precombine.field' = 'last_received_at',
  'index.type' = 'BUCKET',
  'hoodie.bucket.index.num.buckets' = '1',
  'hoodie.bucket.index.hash.field' = 'tenant,event_name,bucket_start',
  'write.tasks' = '1',
  'read.tasks' = '1'
);
