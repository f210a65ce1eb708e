import { checkMetadataStatement, splitExplain } from "../core/metadata-statements.js";
import { verifyPlan } from "../core/plan-check.js";
import type { StatementKind } from "../core/sql-guard.js";
import { gatewayFailure } from "../store/statement-runner.js";
import type { TenantSession } from "../store/tenant-sessions.js";

/**
 * Verifies a tenant's statement on Flink's own reading of it and returns the exact text to run. A query (or the
 * query of an EXPLAIN) is explained by Flink first, and its logical plan must scan warehouse tables only under the
 * tenant's filter (verifyPlan); SHOW and DESCRIBE have no plan, so only a closed list of their forms passes.
 */
export async function planChecked(s: TenantSession, sql: string, kind: StatementKind, timeoutMs: number): Promise<string> {
  if (kind === "SHOW" || kind === "DESCRIBE") {
    checkMetadataStatement(sql, new Set(s.tables().map((t) => t.name)));
    return sql;
  }
  const query = kind === "EXPLAIN" ? splitExplain(sql).query : sql;
  let plan: string;
  try {
    const r = await s.session.execute(`EXPLAIN ${query}`, { timeoutMs });
    plan = String(r.rows[0]?.fields[0] ?? "");
  } catch (e) {
    throw gatewayFailure(e, s.session.client.baseUrl);
  }
  verifyPlan(plan, s.planPolicy());
  return sql;
}
