import { columnDefinitions, kafkaColumns } from "@trackway/envelope";

/**
 * The Flink SQL table over the enriched events topic, its columns generated from the record contract
 * (`@trackway/envelope`'s RECORD_FIELDS), bounded at the topic's current end, for a BATCH query in a test.
 */
export const eventsTableDdl = (table: string, topic: string, brokers: string) => `
CREATE TABLE ${table} (
${columnDefinitions(kafkaColumns(), true)}
  ts AS TO_TIMESTAMP_LTZ(event_time, 3)
) WITH (
  'connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${brokers}',
  'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset',
  'format' = 'json', 'json.ignore-parse-errors' = 'false'
)`;
