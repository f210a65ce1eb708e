-- @description DWS: distinct active users per tenant and UTC day.
-- Keyed by (tenant, event_date): a recomputation upserts the same keys instead of adding rows.
CREATE TABLE IF NOT EXISTS dws_daily_active_users (
  tenant STRING,
  event_date STRING,
  active_users BIGINT,
  PRIMARY KEY (tenant, event_date) NOT ENFORCED
) PARTITIONED BY (event_date) WITH (
  'connector' = 'hudi',
  'hoodie.embed.timeline.server' = 'false',
  'path' = '${hudi_base_path}/dws_daily_active_users',
  'table.type' = 'COPY_ON_WRITE',
  'precombine.field' = 'active_users',
  'index.type' = 'BUCKET',
  'hoodie.bucket.index.num.buckets' = '1',
  'hoodie.bucket.index.hash.field' = 'tenant,event_date',
  'write.tasks' = '1',
  'read.tasks' = '1'
);
