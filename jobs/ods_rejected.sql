-- @description ODS: trackway.events.rejected.v1 (Kafka, json) → Hudi ods_rejected, so failures are queryable with SQL.
-- @modes STREAMING,BATCH
-- @tables kafka_rejected,ods_rejected
-- @param checkpoint_interval 10s -- streaming writes commit on checkpoints: this bounds freshness
-- @batch-param kafka_bounded_mode latest-offset
--
-- The same SQL in both modes: STREAMING follows the topic; BATCH re-reads it up to its latest offsets (a rebuild),
-- upserting the same rows. `violations` holds the broken contract rules of a CONTRACT_VIOLATION as JSON text
-- ([{"field_path", "rule_id", "message"}]); JSON_QUERY / JSON_VALUE read it.
SET 'execution.checkpointing.interval' = '${checkpoint_interval}';
SET 'table.local-time-zone' = 'UTC';
INSERT INTO ods_rejected
SELECT
  CONCAT_WS('/', tenant, batch_id, CAST(`index` AS STRING)),
  tenant, batch_id, `index`, reason, reasons, message, event_id, event_name, schema_version,
  CAST(TO_TIMESTAMP_LTZ(received_at, 3) AS TIMESTAMP(3)),
  client_ip, violations, header, original,
  DATE_FORMAT(CAST(TO_TIMESTAMP_LTZ(received_at, 3) AS TIMESTAMP(3)), 'yyyy-MM-dd')
FROM kafka_rejected
WHERE tenant IS NOT NULL AND batch_id IS NOT NULL AND `index` IS NOT NULL AND received_at IS NOT NULL;
