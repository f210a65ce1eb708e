import { readFile } from "node:fs/promises";
import { plainValue } from "@trackway/compute-gateway";
import { EventUse, UsageRestriction } from "@trackway/proto/registry/v1";
import type { RunningService } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRegistry, type TestRegistry } from "../../support/index.js";
import { computeWorld, failure, produce, runOdsBatch, type ComputeClient, type ComputeWorld, type SeedEvent } from "./harness.js";

// Query restrictions on a real registry, gateway and Flink: a tenant gets typed views only of the subjects it may
// query, and no catalog answer, SHOW, DESCRIBE or refusal names a subject it may not read.
let world: ComputeWorld;
let registry: TestRegistry;
let gateway: RunningService;
let a: ComputeClient;
let b: ComputeClient;
let tenantA: string;
let tenantB: string;
const secret = { subject: "qg.secret_seen", use: EventUse.EVENT_USE_QUERY };
const at = Date.UTC(2026, 10, 24, 9);

beforeAll(async () => {
  world = await computeWorld();
  registry = await startTestRegistry();
  const source = await readFile(new URL("../../../examples/proto/shop/v1/page_viewed.proto", import.meta.url), "utf8");
  for (const subject of ["qg.open_seen", "qg.secret_seen"]) {
    await registry.client.registerSchema({ subject, protoSource: source, messageName: "shop.v1.PageViewed", author: "compute-it" });
  }
  tenantA = `qg-a-${world.run}`;
  tenantB = `qg-b-${world.run}`;
  await registry.client.setUsageRestriction({ restriction: UsageRestriction.fromPartial({ ...secret, tenants: [tenantB] }) });
  const ev = (tenant: string, id: string, name: string): SeedEvent => ({ event_id: `${tenant}-${id}`, tenant, event_name: name, user: "u1", at, properties: { page_type: id, load_time_ms: 1 } });
  const topic = `trackway.compute-it-grants.${world.run}`;
  await produce(world.endpoints.kafkaBrokers, topic, [ev(tenantA, "open", "qg.open_seen"), ev(tenantA, "mine", "qg.secret_seen"), ev(tenantB, "theirs", "qg.secret_seen")]);
  await runOdsBatch(world, topic);
  gateway = await world.startGateway({ TRACKWAY_REGISTRY_ADDRESS: registry.registry.address, TRACKWAY_REGISTRY_API_KEY: registry.admin.key });
  a = await world.client(gateway.address, tenantA);
  b = await world.client(gateway.address, tenantB);
});

afterAll(async () => {
  await gateway?.stop(500);
  await registry?.stop();
  await world?.stop();
});

const names = async (c: typeof a) => (await c.listTables({})).tables.map((t) => t.name);
const cells = (r: Awaited<ReturnType<typeof a.query>>) => r.rows.map((row) => row.values.map((v) => plainValue(v)));

describe("query grants at the compute gateway", () => {
  it("give a tenant typed views only of the subjects it may query, in ListTables and SHOW TABLES", async () => {
    const listed = await a.listTables({});
    expect(listed.tables.map((t) => t.name)).toContain("dwd_qg_open_seen");
    expect(JSON.stringify(listed)).not.toContain("secret");
    const shown = await a.query({ sql: "SHOW TABLES" });
    expect(JSON.stringify(cells(shown))).toContain("dwd_qg_open_seen");
    expect(JSON.stringify(cells(shown))).not.toContain("secret");
    expect(await names(b)).toEqual(expect.arrayContaining(["dwd_qg_open_seen", "dwd_qg_secret_seen"]));
  });

  it("refuse DESCRIBE and SELECT of a view the tenant may not query with TABLE_NOT_ALLOWED, naming no other subject", async () => {
    for (const sql of ["DESCRIBE dwd_qg_secret_seen", "SELECT * FROM dwd_qg_secret_seen", "SHOW COLUMNS FROM dwd_qg_secret_seen"]) {
      const f = await failure(a.query({ sql }));
      expect([sql, f.reason]).toEqual([sql, "TABLE_NOT_ALLOWED"]);
      // The name the tenant typed may come back; nothing else about the subject does.
      expect(f.details.replaceAll("dwd_qg_secret_seen", "")).not.toContain("secret");
    }
  });

  it("leave a tenant its own ods_events rows of every type, and give the listed tenant its rows of the view", async () => {
    expect(cells(await a.query({ sql: "SELECT event_id FROM ods_events WHERE event_name = 'qg.secret_seen'" }))).toEqual([[`${tenantA}-mine`]]);
    expect(cells(await b.query({ sql: "SELECT page_type FROM dwd_qg_secret_seen" }))).toEqual([["theirs"]]);
  });

  it("show the view again as soon as the restriction is cleared", async () => {
    await registry.client.clearUsageRestriction({ restriction: UsageRestriction.fromPartial(secret) });
    const start = Date.now();
    while (!(await names(a)).includes("dwd_qg_secret_seen")) {
      if (Date.now() - start > 15_000) throw new Error("the gateway did not follow the cleared restriction within 15 s");
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(Date.now() - start).toBeLessThan(5000);
    expect(cells(await a.query({ sql: "SELECT page_type FROM dwd_qg_secret_seen" }))).toEqual([["mine"]]);
  });
});
