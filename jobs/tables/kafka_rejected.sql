-- @description The rejected-events topic as Flink reads it: the JSON ingest writes (services/ingest/README.md).
-- @param kafka_brokers 127.0.0.1:9092 -- Kafka bootstrap servers
-- @param rejected_topic trackway.events.rejected.v1 -- topic of rejected events
-- @param kafka_rejected_group_id trackway-ods-rejected -- consumer group of the reading job
-- @param kafka_startup_mode earliest-offset -- where a job without state starts reading
-- @param kafka_bounded_mode unbounded -- `latest-offset` makes the source bounded (BATCH runs over the topic)
-- `header` (an object) and `violations` (an array) are STRING columns: Flink's json format keeps their JSON text.
CREATE TEMPORARY TABLE IF NOT EXISTS kafka_rejected (
  tenant STRING,
  batch_id STRING,
  `index` INT,
  reason STRING,
  reasons ARRAY<STRING>,
  message STRING,
  event_id STRING,
  event_name STRING,
  schema_version INT,
  received_at BIGINT,
  client_ip STRING,
  original STRING,
  `common` STRING,
  header STRING,
  violations STRING
) WITH (
  'connector' = 'kafka',
  'topic' = '${rejected_topic}',
  'properties.bootstrap.servers' = '${kafka_brokers}',
  'properties.group.id' = '${kafka_rejected_group_id}',
  'scan.startup.mode' = '${kafka_startup_mode}',
  'scan.bounded.mode' = '${kafka_bounded_mode}',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);
