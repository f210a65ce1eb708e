export type { EnrichedEvent } from "./enriched-event.js";
export { RECORD_FIELDS, ODS_PRIMARY_KEY, type RecordField, type FlinkType } from "./record-fields.js";
export { kafkaColumns, odsColumns, columnDefinitions, selectList, type FlinkColumn } from "./flink-columns.js";
export type { RejectedEventRecord, RejectionSummaryFields } from "./rejected-record.js";
