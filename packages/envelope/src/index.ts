export { mergeMessage } from "./merge-message.js";
export { expandCommon, identityKey } from "./common-header.js";
export { extractCommon } from "./extract-common.js";
export { trackwayFiles, trackwayRegistry } from "./descriptors.js";
export {
  RECORD_FIELDS,
  ODS_PRIMARY_KEY,
  kafkaColumns,
  odsColumns,
  columnDefinitions,
  selectList,
  type EnrichedEvent,
  type RejectedEventRecord,
  type RejectedProtection,
  type RejectionSummaryFields,
  rejectedEventBytes,
  rejectionSummary,
  type RejectedBytes,
  seal,
  open,
  sealedKeyId,
  sealValue,
  openValue,
  isSealedValue,
  sealOriginal,
  openOriginal,
  SEALED_VALUE_PREFIX,
  type DataKey,
  type RecordField,
  type FlinkType,
  type FlinkColumn,
} from "./record/index.js";
export { invalidUtf8Path, hasReplacementChar } from "./strict-utf8.js";
export {
  createProperties,
  encodeProperties,
  propertiesBytes,
  propertiesFromJson,
  propertiesToJson,
  propertyRegistry,
  type DescField,
  type DescFile,
  type DescMessage,
  type FileRegistry,
  type JsonObject,
  type JsonValue,
  type Message,
  type PropertySchemas,
  type Registry,
} from "./properties.js";
export { typedViewName, assignViewNames, type ViewCandidate, type ViewNameCollision } from "./typed-view-name.js";
