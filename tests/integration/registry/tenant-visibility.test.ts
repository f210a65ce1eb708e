import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { EventUse, UsageRestriction } from "@trackway/proto/registry/v1";
import type { RegistryClient } from "@trackway/registry-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proto, startTestRegistry, type TestRegistry } from "../../support/index.js";

// What one tenant's key may read of other tenants' governance (restrictions, grants, audit), on a real registry and
// Postgres. Regression: ListUsageRestrictions and ListPrefixGrants used to answer every tenant's lists to any schemas:read key.
type Key = { key: string; keyId: string; actor: string };
let t: TestRegistry;
let a: Key, b: Key, bReader: Key, c: Key, stranger: Key, service: Key;
const cl: Record<string, RegistryClient> = {};
const SEND = EventUse.EVENT_USE_SEND;
const QUERY = EventUse.EVENT_USE_QUERY;
const r = (subject: string, prefix: string, use: EventUse, tenants: string[]) => UsageRestriction.fromPartial({ subject, prefix, use, tenants });
const targets = (x: { restrictions: UsageRestriction[] }) => x.restrictions.map((y) => y.subject || `${y.prefix}*`);

beforeAll(async () => {
  t = await startTestRegistry();
  a = await t.key("tv-a", ["schemas:read", "schemas:write"]);
  b = await t.key("tv-b", ["schemas:read", "schemas:write"]);
  bReader = await t.key("tv-b", ["schemas:read"]);
  c = await t.key("tv-c", ["schemas:read", "schemas:write"]);
  stranger = await t.key("tv-s", ["schemas:read"]);
  service = await t.key("trackway-services", ["schemas:read", "schemas:read-all"]);
  for (const [name, k] of Object.entries({ a, b, bReader, c, stranger, service })) cl[name] = t.clientWith(k.key);
  // tv-a holds tv-a.* (from an operator) and hands tv-a.sub.* on to tv-c; tv-b owns a subject of its own.
  await t.client.grantPrefix({ grant: { prefix: "tv-a.", tenant: "tv-a" } });
  await cl.a!.grantPrefix({ grant: { prefix: "tv-a.sub.", tenant: "tv-c" } });
  await cl.a!.registerSchema({ subject: "tv-a.orders", protoSource: proto("message Order {\n  string id = 1;\n}", "tva.v1") });
  await cl.b!.registerSchema({ subject: "tv-b.clicks", protoSource: proto("message Click {\n  string id = 1;\n}", "tvb.v1") });
  await cl.a!.setUsageRestriction({ restriction: r("tv-a.orders", "", QUERY, ["tv-finance"]) });
  await cl.c!.setUsageRestriction({ restriction: r("", "tv-a.sub.", SEND, ["tv-web"]) });
  await cl.b!.setUsageRestriction({ restriction: r("tv-b.clicks", "", SEND, ["tv-app"]) });
});
afterAll(() => t?.stop());

describe("ListUsageRestrictions", () => {
  it("answers a tenant's key only the restrictions on what its tenant owns or holds a grant on, with their owners", async () => {
    const mine = await cl.bReader!.listUsageRestrictions({});
    expect(targets(mine)).toEqual(["tv-b.clicks"]);
    expect(mine.owners).toEqual([{ subject: "tv-b.clicks", tenant: "tv-b" }]);
    expect(mine.grants).toEqual([]);
    expect(mine.tenant).toBe("tv-b");
    expect(targets(await cl.a!.listUsageRestrictions({}))).toEqual(["tv-a.orders", "tv-a.sub.*"]);
    expect(targets(await cl.c!.listUsageRestrictions({}))).toEqual(["tv-a.sub.*"]);
    expect(await cl.stranger!.listUsageRestrictions({})).toEqual({ restrictions: [], owners: [], grants: [], tenant: "tv-s" });
  });

  it("answers schemas:admin and schemas:read-all (the services' key) the whole snapshot", async () => {
    for (const client of [t.client, cl.service!]) {
      const all = await client.listUsageRestrictions({});
      expect(targets(all)).toEqual(["tv-a.orders", "tv-a.sub.*", "tv-b.clicks"]);
      expect(all.grants).toEqual([
        { prefix: "tv-a.", tenant: "tv-a" },
        { prefix: "tv-a.sub.", tenant: "tv-c" },
      ]);
      expect(all.tenant).toBe("");
    }
  });
});

describe("ListPrefixGrants", () => {
  it("answers a tenant's key the grants its tenant holds, gave, or holds a shorter prefix of; admin every grant", async () => {
    expect(await cl.bReader!.listPrefixGrants({})).toEqual({ grants: [], tenant: "tv-b" });
    expect(await cl.stranger!.listPrefixGrants({})).toEqual({ grants: [], tenant: "tv-s" });
    expect((await cl.c!.listPrefixGrants({})).grants).toEqual([{ prefix: "tv-a.sub.", tenant: "tv-c" }]);
    expect((await cl.a!.listPrefixGrants({})).grants).toEqual([
      { prefix: "tv-a.", tenant: "tv-a" },
      { prefix: "tv-a.sub.", tenant: "tv-c" },
    ]);
    expect((await t.client.listPrefixGrants({})).grants.map((g) => g.prefix)).toEqual(["tv-a.", "tv-a.sub."]);
  });
});

describe("ListAuditEntries", () => {
  it("answers a tenant's key the entries of its own keys and of subjects it owns or holds a grant on, never another tenant's", async () => {
    const seen = (await cl.bReader!.listAuditEntries({ limit: 1000 })).entries;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((e) => e.actor.startsWith("tv-b/") || e.subject === "tv-b.clicks")).toBe(true);
    expect((await cl.bReader!.listAuditEntries({ subject: "tv-a.orders" })).entries).toEqual([]);
    expect((await cl.stranger!.listAuditEntries({ limit: 1000 })).entries).toEqual([]);
    const actions = (await cl.a!.listAuditEntries({ subject: "tv-a.orders" })).entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["REGISTER", "RESTRICT_USE"]));
    const all = (await cl.service!.listAuditEntries({ limit: 1000 })).entries;
    expect([...new Set(all.map((e) => e.actor))]).toEqual(expect.arrayContaining([t.admin.actor, a.actor, b.actor, c.actor]));
  });
});

describe("trackway schema restrictions|grants with a tenant's key", () => {
  const cli = async (key: string, ...args: string[]) =>
    promisify(execFile)("node", [join(import.meta.dirname, "../../../packages/cli/bin/trackway.js"), "schema", "--registry", t.registry.address, "--api-key", key, ...args]);

  it("lists only what concerns the key's tenant and says so", async () => {
    const restrictions = await cli(b.key, "restrictions");
    expect(restrictions.stdout).toBe("tv-b.clicks\tsend\ttv-app\n");
    expect(restrictions.stderr).toMatch(/tenant tv-b/);
    expect((await cli(b.key, "grants")).stdout).toBe("");
    expect((await cli(t.admin.key, "grants")).stdout).toBe("tv-a.\ttv-a\ntv-a.sub.\ttv-c\n");
  });
});
