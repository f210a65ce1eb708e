import { readFile } from "node:fs/promises";
import { plainValue } from "@trackway/compute-gateway";
import type { RunningService } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRegistry, type TestRegistry } from "../../support/index.js";
import { computeClient, computeWorld, produce, runOdsBatch, type ComputeWorld, type SeedEvent } from "./harness.js";

let world: ComputeWorld;
let registry: TestRegistry;
let gateway: RunningService;
let client: ReturnType<typeof computeClient>;
let tenant: string;

const at = Date.UTC(2026, 10, 23, 9);

beforeAll(async () => {
  world = await computeWorld();
  registry = await startTestRegistry();
  // The example shop's page view, registered as the subject its events are named after.
  const source = await readFile(new URL("../../../examples/proto/shop/v1/page_viewed.proto", import.meta.url), "utf8");
  await registry.client.registerSchema({ subject: "shop.page_viewed", protoSource: source, messageName: "shop.v1.PageViewed", author: "compute-it" });
  tenant = `catalog-${world.run}`;
  const other = `other-${world.run}`;
  const ev = (t: string, id: string, page: string, ms: number): SeedEvent => ({
    event_id: `${t}-${id}`,
    tenant: t,
    event_name: "shop.page_viewed",
    user: "u1",
    at,
    properties: { page_type: page, load_time_ms: ms },
  });
  const topic = `trackway.compute-it-catalog.${world.run}`;
  await produce(world.endpoints.kafkaBrokers, topic, [ev(tenant, "1", "home", 120), ev(tenant, "2", "search", 340), ev(other, "1", "secret", 1)]);
  await runOdsBatch(world, topic);
  gateway = await world.startGateway({ TRACKWAY_REGISTRY_ADDRESS: registry.registry.address, TRACKWAY_REGISTRY_API_KEY: registry.admin.key });
  client = computeClient(gateway.address, await world.key(tenant));
});

afterAll(async () => {
  client?.close();
  await gateway?.stop(500);
  await registry?.stop();
  await world?.stop();
});

describe("the catalog with the registry", () => {
  it("lists a typed per-event view for each registered event, with the schema's field types", async () => {
    const { tables } = await client.listTables({});
    const typed = tables.find((t) => t.name === "dwd_shop_page_viewed");
    expect(typed).toMatchObject({ layer: "dwd", eventName: "shop.page_viewed" });
    const props = typed!.columns.filter((c) => ["page_type", "search_query", "load_time_ms"].includes(c.name));
    expect(props.map((c) => [c.name, c.type])).toEqual([
      ["page_type", "STRING"],
      ["search_query", "STRING"],
      ["load_time_ms", "BIGINT"],
    ]);
    // The envelope subject is not an event type.
    expect(tables.some((t) => t.name.startsWith("dwd_trackway"))).toBe(false);
  });

  it("answers queries on the typed view with the tenant's rows only", async () => {
    const r = await client.query({ sql: "SELECT page_type, load_time_ms FROM dwd_shop_page_viewed ORDER BY load_time_ms" });
    expect(r.columns.map((c) => c.type)).toEqual(["STRING", "BIGINT"]);
    expect(r.rows.map((row) => row.values.map((v) => plainValue(v)))).toEqual([
      ["home", 120],
      ["search", 340],
    ]);
  });
});
