import { create } from "@bufbuild/protobuf";
import { status } from "@grpc/grpc-js";
import { createClient, type DropInfo } from "@trackway/client";
import { generateApiKey } from "@trackway/auth";
import { createPool } from "@trackway/db";
import type { RunningIngest } from "@trackway/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestWorldWithIngest, outcomeOf, type IngestWorld } from "../../support/index.js";

let w: IngestWorld;
let ingest: RunningIngest;
beforeAll(async () => {
  ({ w, ingest } = await ingestWorldWithIngest({ TRACKWAY_INGEST_KEY_CACHE_TTL: 200 }));
});
afterAll(() => w?.stop());

const cli = async (...args: string[]) => (await w.keysCli(...args)).stdout;
const sendWith = (key: string, id: string) => w.sendOrder(ingest.address, key, id);
const failure = outcomeOf;

describe("API keys at ingest", () => {
  it("refuse a missing, malformed or unknown key with UNAUTHENTICATED", async () => {
    expect(await failure(sendWith("", "a"))).toEqual([status.UNAUTHENTICATED, "API_KEY_MISSING"]);
    expect(await failure(sendWith("hunter2", "b"))).toEqual([status.UNAUTHENTICATED, "API_KEY_INVALID"]);
    expect(await failure(sendWith(generateApiKey(), "c"))).toEqual([status.UNAUTHENTICATED, "API_KEY_INVALID"]);
    expect(await failure(sendWith(w.apiKey, "d"))).toBe("accepted");
  });

  it("make the SDK drop a stream's batches without retrying, reporting UNAUTHENTICATED", async () => {
    const drops: DropInfo[] = [];
    let sends = 0;
    const client = createClient({ address: ingest.address, apiKey: generateApiKey(), schemas: [w.orderV1], hooks: { onDrop: (d) => drops.push(d), onRetry: () => sends++ } });
    client.track("shop.order_completed", create(w.orderV1, { orderId: "x" }), { version: 1 });
    await client.close();
    expect(drops).toMatchObject([{ reason: "API_KEY_INVALID", code: status.UNAUTHENTICATED }]);
    expect(sends).toBe(0);
  });

  it("are issued, listed and revoked by the CLI; a revoked key is refused within the cache TTL", async () => {
    const created = JSON.parse(await cli("create", "--tenant", "globex", "--name", "web", "--allow", "shop.order_completed", "--json")) as { key: string; id: string; allowedEvents: string[] };
    expect(created.key).toMatch(/^twk_/);
    expect(created.allowedEvents).toEqual(["shop.order_completed"]);
    const listed = (await cli("list", "--tenant", "globex", "--json")).trim().split("\n").map((l) => JSON.parse(l) as { id: string; hint: string; key?: string });
    expect(listed.map((k) => k.id)).toEqual([created.id]);
    expect(created.key.startsWith(listed[0]!.hint)).toBe(true);
    expect(listed[0]!.key).toBeUndefined();

    expect(await failure(sendWith(created.key, "before-revoke"))).toBe("accepted");
    await cli("revoke", created.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(await failure(sendWith(created.key, "after-revoke"))).toEqual([status.UNAUTHENTICATED, "API_KEY_INVALID"]);
    expect(await cli("list", "--tenant", "globex")).toBe("");
    expect(await cli("list", "--tenant", "globex", "--all")).toContain("revoked");
  });

  it("revoking a key also stops a stream that is already open", async () => {
    const { key, record } = await w.keys.create({ tenant: "acme" });
    const drops: DropInfo[] = [];
    const accepted: string[] = [];
    const client = createClient({
      address: ingest.address,
      apiKey: key,
      schemas: [w.orderV1],
      hooks: { onDrop: (d) => drops.push(d), onBatchSent: (b) => accepted.push(b.batchId) },
    });
    client.track("shop.order_completed", create(w.orderV1, { orderId: "1" }), { version: 1 });
    await client.flush();
    await w.keys.revoke(record.id);
    await new Promise((r) => setTimeout(r, 300));
    client.track("shop.order_completed", create(w.orderV1, { orderId: "2" }), { version: 1 });
    await client.close();
    expect(accepted).toHaveLength(1);
    expect(drops).toMatchObject([{ reason: "API_KEY_INVALID", code: status.UNAUTHENTICATED }]);
  });

  it("a key revoked in the database is refused at once by an ingest whose key cache would keep it for 10 minutes", async () => {
    const longCache = await w.startIngest({ TRACKWAY_INGEST_KEY_CACHE_TTL: 600_000 });
    try {
      const { key, record } = await w.keys.create({ tenant: "initech" });
      const send = (id: string) => failure(w.sendOrder(longCache.address, key, id));
      expect(await send("cached")).toBe("accepted"); // now in the cache
      // Plain SQL, as an operator might: the trigger of migration 0023 notifies, whoever revokes.
      const sql = createPool(w.databaseUrl, { max: 1 });
      await sql.query("UPDATE api_keys SET revoked_at = now() WHERE id = $1", [record.id]).finally(() => sql.end());
      let outcome: unknown = "accepted";
      for (let i = 0; i < 50 && outcome === "accepted"; i++) {
        await new Promise((r) => setTimeout(r, 100));
        outcome = await send(`after-revoke-${i}`);
      }
      expect(outcome).toEqual([status.UNAUTHENTICATED, "API_KEY_INVALID"]);
    } finally {
      await longCache.stop();
    }
  });
});
