export { startComputeGateway } from "./server.js";
export { ComputeGatewayConfig } from "./config.js";
export { SqlGuard, type CheckedStatement, type GuardPolicy, type StatementKind } from "./core/sql-guard.js";
export { bindParameters } from "./core/sql-params.js";
export { countEventsSql, countUniqueUsersSql } from "./core/structured-sql.js";
export { funnelAnalyticsSql } from "./core/analytics/funnel-sql.js";
export { trendsSql } from "./core/analytics/trends-sql.js";
export { plainValue } from "./core/result-values.js";
