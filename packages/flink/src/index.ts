export { FlinkClientError, FlinkRestError, FlinkUnreachableError, SqlGatewayError, isFlinkClientError } from "./errors.js";
export { rootCause } from "./root-cause.js";
export { JsonNumber, parseLossless, stringifyLossless, toPlain, type LosslessValue } from "./lossless-json.js";
export { SqlGatewayClient, type OpenSessionOptions, type SqlGatewayClientOptions } from "./sql-gateway/client.js";
export { SqlGatewaySession } from "./sql-gateway/session.js";
export type { ExecuteOptions, FetchResultsPage, OperationStatus, ResultPagesOptions, SqlColumn, SqlRow, StatementResult } from "./sql-gateway/types.js";
export { FlinkRestClient, type FlinkRestClientOptions } from "./rest/client.js";
export { recordCounts, type FlinkJobDetails, type VertexCounts } from "./rest/job-records.js";
export { TERMINAL_FLINK_STATES, type CheckpointStats, type ClusterOverview, type FlinkJobSummary, type SavepointStatus } from "./rest/types.js";
