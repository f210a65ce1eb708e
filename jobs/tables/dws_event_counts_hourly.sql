-- @description DWS: distinct events and distinct users per tenant, event name and UTC hour.
-- Keyed by (tenant, event_name, hour_start): a recomputation upserts the same keys instead of adding rows.
CREATE TABLE IF NOT EXISTS dws_event_counts_hourly (
  tenant STRING,
  event_name STRING,
  hour_start TIMESTAMP(3),
  event_count BIGINT,
  unique_users BIGINT,
  event_date STRING,
  PRIMARY KEY (tenant, event_name, hour_start) NOT ENFORCED
) PARTITIONED BY (event_date) WITH (
  'connector' = 'hudi',
  'hoodie.embed.timeline.server' = 'false',
  'path' = '${hudi_base_path}/dws_event_counts_hourly',
  'table.type' = 'COPY_ON_WRITE',
  'precombine.field' = 'event_count',
  'index.type' = 'BUCKET',
  'hoodie.bucket.index.num.buckets' = '1',
  'hoodie.bucket.index.hash.field' = 'tenant,event_name,hour_start',
  'write.tasks' = '1',
  'read.tasks' = '1'
);
