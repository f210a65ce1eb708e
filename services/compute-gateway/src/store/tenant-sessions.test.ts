import type { SqlGatewayClient, SqlGatewaySession } from "@trackway/flink";
import { silentLogger } from "@trackway/runtime";
import { loadWarehouse } from "@trackway/warehouse";
import { afterEach, describe, expect, it } from "vitest";
import { TenantSessions, type TypedView, type TypedViewSource } from "./tenant-sessions.js";

/**
 * A SQL Gateway that answers each statement on the next macrotask (so that concurrent callers interleave as on the
 * real gateway) and explains a tenant view as a filter over its hidden table.
 */
function fakeGateway() {
  let hiddenDb = "";
  const executed: string[] = [];
  /** The temporary views that exist in the session now, as Flink would see them. */
  const live = new Set<string>();
  const session = {
    handle: "s1",
    async execute(sql: string) {
      executed.push(sql);
      await new Promise((r) => setTimeout(r, 1));
      hiddenDb = /^CREATE DATABASE IF NOT EXISTS `([^`]+)`/.exec(sql)?.[1] ?? hiddenDb;
      const created = /^CREATE TEMPORARY VIEW `([^`]+)`/.exec(sql)?.[1];
      if (created) live.add(created);
      const dropped = /^DROP TEMPORARY VIEW IF EXISTS `([^`]+)`/.exec(sql)?.[1];
      if (dropped) live.delete(dropped);
      const view = /^EXPLAIN SELECT \* FROM `([^`]+)`$/.exec(sql)?.[1];
      const plan = view
        ? `== Abstract Syntax Tree ==\nLogicalProject(tenant=[$0])\n+- LogicalFilter(condition=[=($0, _UTF-16LE't')])\n   +- LogicalTableScan(table=[[default_catalog, ${hiddenDb}, ${view}]])\n`
        : "";
      return { columns: [], rows: view ? [{ kind: "INSERT", fields: [plan] }] : [], isQueryResult: false, truncated: false };
    },
    close: async () => undefined,
    heartbeat: async () => undefined,
  };
  const client = {
    baseUrl: "http://gateway.test",
    openSession: async () => {
      await new Promise((r) => setTimeout(r, 1));
      return session as unknown as SqlGatewaySession;
    },
  } as unknown as SqlGatewayClient;
  return { client, executed, live };
}

const typedView: TypedView = { table: { name: "dwd_shop_viewed", layer: "dwd", eventName: "shop.viewed" }, sql: "CREATE TEMPORARY VIEW `dwd_shop_viewed` AS SELECT 1" };
let sessions: TenantSessions | undefined;
let gateway: ReturnType<typeof fakeGateway>;
afterEach(() => sessions?.close());

const start = async (typedViews?: TypedViewSource) => {
  const gw = (gateway = fakeGateway());
  sessions = new TenantSessions({ client: gw.client, warehouse: await loadWarehouse(), hudiBasePath: "file:///tmp/hudi", typedViews, logger: silentLogger, idleMs: 60_000, heartbeatMs: 60_000 });
  return sessions;
};
const names = (s: { tables(): { name: string }[] }) => s.tables().map((t) => t.name).sort();
/**
 * The views a session had when acquire handed it over, and that Flink had too: a caller uses them at once (the
 * guard checks the statement against the first, Flink plans it against the second).
 */
const viewsOnArrival = (p: Promise<{ tables(): { name: string }[] }>) => p.then((s) => names(s).filter((n) => gateway.live.has(n)));

describe("TenantSessions.acquire", () => {
  it("hands concurrent callers of a new session the session only once its views exist (no typed views)", async () => {
    const s = await start();
    const [first, second] = await Promise.all([viewsOnArrival(s.acquire("t")), viewsOnArrival(s.acquire("t"))]);
    expect(first).toContain("ods_events");
    expect(second).toContain("ods_events");
  });

  it("hands concurrent callers the session only once its typed views exist too", async () => {
    let generation = 1;
    const s = await start({ views: async () => [typedView], generation: () => generation });
    const all = await Promise.all([viewsOnArrival(s.acquire("t")), viewsOnArrival(s.acquire("t")), viewsOnArrival(s.acquire("t"))]);
    for (const views of all) expect(views).toEqual(expect.arrayContaining(["ods_events", "dwd_shop_viewed"]));
  });

  it("hands a caller arriving while the typed views are rebuilt the session once they are back", async () => {
    let generation = 1;
    let replaced = 0;
    // A new schema version: the view's SQL changes, so the rebuild drops and recreates it.
    const s = await start({ views: async () => [{ ...typedView, sql: `${typedView.sql} -- v${replaced}` }], generation: () => generation });
    await s.acquire("t");
    generation = 2;
    replaced = 1;
    const rebuilding = viewsOnArrival(s.acquire("t"));
    // Arrive when the old view is dropped and the new one not created yet.
    const recreating = () => gateway.executed.filter((x) => x.startsWith("CREATE TEMPORARY VIEW `dwd_shop_viewed`")).length === 2;
    while (!recreating()) await new Promise((r) => setImmediate(r));
    expect(await viewsOnArrival(s.acquire("t"))).toContain("dwd_shop_viewed");
    expect(await rebuilding).toContain("dwd_shop_viewed");
  });
});
