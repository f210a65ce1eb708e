export { startComputeGateway } from "./server.js";
export { ComputeGatewayConfig } from "./config.js";
export { SqlGuard, type CheckedStatement, type GuardPolicy, type StatementKind } from "./core/sql-guard.js";
export { bindParameters } from "./core/sql-params.js";
export { countEventsSql, countUniqueUsersSql, funnelSql } from "./core/structured-sql.js";
export { plainValue } from "./core/result-values.js";
export { verifyPlan, tenantFilterOf, type PlanPolicy } from "./core/plan-check.js";
export { lexFlinkSql, DEFAULT_COMPLEXITY, type ComplexityLimits } from "./core/flink-lexer.js";
export { hiddenTableStatements, tenantViewSql } from "./core/tenant-views.js";
