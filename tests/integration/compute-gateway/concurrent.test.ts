import { readFile } from "node:fs/promises";
import { plainValue } from "@trackway/compute-gateway";
import type { RunningService } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRegistry, type TestRegistry } from "../../support/index.js";
import { computeClient, computeWorld, flinkJobsNamed, produce, runOdsBatch, type ComputeWorld, type SeedEvent } from "./harness.js";

// One tenant's statements issued at once, as the console sends them, on a real gateway and Flink. Regression: the
// second of two concurrent statements got TABLE_NOT_ALLOWED while the first was still building the tenant's views.
let world: ComputeWorld;
let registry: TestRegistry;
let plain: RunningService;
let typed: RunningService;
let tenant: string;
const at = Date.UTC(2026, 10, 24, 9);
const clients: ReturnType<typeof computeClient>[] = [];

beforeAll(async () => {
  world = await computeWorld();
  registry = await startTestRegistry();
  const source = await readFile(new URL("../../../examples/proto/shop/v1/page_viewed.proto", import.meta.url), "utf8");
  await registry.client.registerSchema({ subject: "cc.page_viewed", protoSource: source, messageName: "shop.v1.PageViewed", author: "compute-it" });
  tenant = `cc-${world.run}`;
  const events: SeedEvent[] = Array.from({ length: 3 }, (_, i) => ({
    event_id: `${tenant}-${i}`,
    tenant,
    event_name: "cc.page_viewed",
    user: `u${i}`,
    at: at + i,
    properties: { page_type: "home", load_time_ms: i },
  }));
  const topic = `trackway.compute-it-concurrent.${world.run}`;
  await produce(world.endpoints.kafkaBrokers, topic, events);
  await runOdsBatch(world, topic);
  // Two gateways, so that each test starts on a tenant session nobody opened yet: without and with typed views.
  plain = await world.startGateway();
  typed = await world.startGateway({ TRACKWAY_REGISTRY_ADDRESS: registry.registry.address, TRACKWAY_REGISTRY_API_KEY: registry.admin.key });
});

afterAll(async () => {
  for (const c of clients) c.close();
  for (const j of await flinkJobsNamed(world.endpoints.flinkRestUrl, `trackway-query:${tenant}:`).catch(() => [])) world.flinkJobs.add(j.jid);
  await registry?.stop();
  await world?.stop();
});

const client = async (g: RunningService) => {
  const c = computeClient(g.address, await world.key(tenant));
  clients.push(c);
  return c;
};
const count = async (c: ReturnType<typeof computeClient>, sql: string) => Number(plainValue((await c.query({ sql })).rows[0]!.values[0]!));

describe("one tenant's concurrent statements", () => {
  it("both answer when they are the tenant's first, on a gateway without typed views", async () => {
    const c = await client(plain);
    const sql = "SELECT COUNT(*) FROM ods_events";
    expect(await Promise.all([count(c, sql), count(c, sql)])).toEqual([3, 3]);
    // And again on the open session.
    expect(await Promise.all([count(c, sql), count(c, sql)])).toEqual([3, 3]);
  });

  it("both answer when they are the tenant's first, over a base table and a typed view", async () => {
    const c = await client(typed);
    const answers = await Promise.all([count(c, "SELECT COUNT(*) FROM dwd_cc_page_viewed"), count(c, "SELECT COUNT(*) FROM ods_events")]);
    expect(answers).toEqual([3, 3]);
    expect(await Promise.all([count(c, "SELECT COUNT(*) FROM ods_events"), count(c, "SELECT COUNT(*) FROM dwd_cc_page_viewed")])).toEqual([3, 3]);
  });
});
