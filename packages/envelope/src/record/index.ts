export type { EnrichedEvent } from "./enriched-event.js";
export { RECORD_FIELDS, ODS_PRIMARY_KEY, type RecordField, type FlinkType } from "./record-fields.js";
export { kafkaColumns, odsColumns, columnDefinitions, selectList, type FlinkColumn } from "./flink-columns.js";
export { rejectionSummary, type RejectedEventRecord, type RejectedProtection, type RejectionSummaryFields } from "./rejected-record.js";
export { rejectedEventBytes, type RejectedBytes } from "./rejected-bytes.js";
export { seal, open, sealedKeyId, sealValue, openValue, isSealedValue, sealOriginal, openOriginal, SEALED_VALUE_PREFIX, type DataKey } from "./sealed.js";
export { rebuildRejected, repairEvent, decodeReplayProperties, type ReplayableEvent, type Repair, type ReplaySchema, type ReplaySchemaLookup } from "./replay.js";
