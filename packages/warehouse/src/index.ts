export { parseJobFile, substitute, splitStatements, loadJobFiles, type JobFile, type JobParam } from "./job-file.js";
export { loadWarehouse, jobStatements, jobParameters, tableStatements, jobsDir, type Warehouse, type WarehouseOptions, type RuntimeMode } from "./warehouse.js";
export { withKafkaOptions } from "./kafka-options.js";
export { runJob, type SubmittedJob } from "./run-job.js";
export { dwdViewSql, dwdViewName, dwdColumns, DWD_HEADER_COLUMNS } from "./dwd-view.js";
export { runAudit, auditQueries, type AuditRange, type AuditReport } from "./audit.js";
export { runDeletion, deletionSql, userPredicates, DELETION_STEPS, DWS_TABLES, type DeletionStep, type DeletionProgress, type UserToDelete, type DeletionContext } from "./delete-user.js";
