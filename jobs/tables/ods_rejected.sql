-- @description ODS: every rejected event once (keyed by tenant, batch and position), partitioned by receive date.
-- @param hudi_base_path file:///tmp/trackway/hudi -- base path of every warehouse table
-- A rejected event may have no id, so the key is where it came: tenant, batch id, index in the batch; a client
-- retry of the batch (same batch id) upserts the same rows.
CREATE TABLE IF NOT EXISTS ods_rejected (
  rejection_id STRING,
  tenant STRING,
  batch_id STRING,
  event_index INT,
  reason STRING,
  reasons ARRAY<STRING>,
  message STRING,
  event_id STRING,
  event_name STRING,
  schema_version INT,
  received_at TIMESTAMP(3),
  client_ip STRING,
  violations STRING,
  header STRING,
  original STRING,
  received_date STRING,
  PRIMARY KEY (rejection_id) NOT ENFORCED
) PARTITIONED BY (received_date) WITH (
  'connector' = 'hudi',
  'hoodie.embed.timeline.server' = 'false',
  'path' = '${hudi_base_path}/ods_rejected',
  'table.type' = 'COPY_ON_WRITE',
  'precombine.field' = 'received_at',
  'index.type' = 'BUCKET',
  'hoodie.bucket.index.num.buckets' = '2',
  'write.tasks' = '1',
  'write.bucket_assign.tasks' = '1',
  'read.tasks' = '1'
);
