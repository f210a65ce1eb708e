export { mergeMessage } from "./merge-message.js";
export { expandCommon, identityKey } from "./common-header.js";
export { trackwayFiles, trackwayRegistry } from "./descriptors.js";
export {
  RECORD_FIELDS,
  ODS_PRIMARY_KEY,
  kafkaColumns,
  odsColumns,
  columnDefinitions,
  selectList,
  type EnrichedEvent,
  type RecordField,
  type FlinkType,
  type FlinkColumn,
} from "./record/index.js";
export { invalidUtf8Path, hasReplacementChar } from "./strict-utf8.js";
