import { hiddenTableStatements, tenantFilterOf, tenantViewSql, verifyPlan } from "@trackway/compute-gateway";
import { SqlGatewayClient, type SqlGatewaySession } from "@trackway/flink";
import { loadWarehouse } from "@trackway/warehouse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeWorld, produce, runOdsBatch, type ComputeWorld } from "./harness.js";
import { bulkEvents } from "./seed.js";

// The plan check on Flink's real EXPLAIN answers, without the read-only guard or the lexer in front: isolation
// must hold on Flink's own reading of a statement even when a second parser reads it differently (issue 13, finding 1).
let world: ComputeWorld;
let session: SqlGatewaySession;
let hidden: string;
let policy: { hiddenPath: string; tenantFilters: Map<string, string> };
const tenant = "plan-acme";

const explain = async (sql: string) => String((await session.execute(`EXPLAIN ${sql}`)).rows[0]?.fields[0] ?? "");
const verdict = async (sql: string) => {
  try {
    verifyPlan(await explain(sql), policy);
    return "ok";
  } catch (e) {
    return (e as { reason?: string }).reason ?? String(e);
  }
};

beforeAll(async () => {
  world = await computeWorld();
  const topic = `trackway.compute-it-plan.${world.run}`;
  await produce(world.endpoints.kafkaBrokers, topic, [...bulkEvents(tenant, 5), ...bulkEvents("plan-other", 5)]);
  await runOdsBatch(world, topic);
  session = await new SqlGatewayClient({ baseUrl: world.endpoints.sqlGatewayUrl }).openSession({ properties: { "execution.runtime-mode": "batch" } });
  hidden = `trackway_base_plan${world.run}`;
  for (const st of hiddenTableStatements(await loadWarehouse(), hidden, world.hudiBasePath)) await session.execute(st);
  await session.execute(tenantViewSql("ods_events", hidden, tenant));
  const hiddenPath = `default_catalog, ${hidden}`;
  policy = { hiddenPath, tenantFilters: new Map([["ods_events", tenantFilterOf(await explain("SELECT * FROM ods_events"), hiddenPath, "ods_events")]]) };
});

afterAll(async () => {
  await session?.close().catch(() => undefined);
  await world?.stop();
});

describe("the plan check on Flink's EXPLAIN", () => {
  it("learns the tenant filter from Flink's plan of the tenant's own view", () => {
    expect(policy.tenantFilters.get("ods_events")).toMatch(/^LogicalFilter\(condition=\[=\(\$\d+, _UTF-16LE'plan-acme'\)\]\)$/);
  });

  it("refuses finding 1's statement, which the old guard read as one harmless string", async () => {
    const sql = `SELECT 'x\\' AS a, t.tenant, COUNT(*) AS n FROM default_catalog.${hidden}.ods_events AS t GROUP BY t.tenant -- ' AS b FROM ods_events`;
    expect(await verdict(sql)).toBe("TABLE_NOT_ALLOWED");
  });

  it("refuses a scan of the base table even with the tenant's own filter written by hand elsewhere", async () => {
    expect(await verdict(`SELECT COUNT(*) FROM default_catalog.${hidden}.ods_events WHERE tenant = 'plan-acme' OR 1 = 1`)).toBe("TABLE_NOT_ALLOWED");
    expect(await verdict(`SELECT * FROM ods_events UNION ALL SELECT * FROM default_catalog.${hidden}.ods_events`)).toBe("TABLE_NOT_ALLOWED");
  });

  it("refuses a plan in which a string value spans lines", async () => {
    expect(await verdict("SELECT 'a\n+- LogicalFilter(x)' AS s FROM ods_events")).toBe("PLAN_NOT_ALLOWED");
  });

  it("accepts the tenant's queries over its view, joins and subqueries included", async () => {
    expect(await verdict("SELECT event_name, COUNT(*) FROM ods_events GROUP BY event_name")).toBe("ok");
    expect(await verdict("SELECT COUNT(*) FROM ods_events a JOIN ods_events b ON a.user_id = b.user_id WHERE a.event_id IN (SELECT event_id FROM ods_events)")).toBe("ok");
  });
});
