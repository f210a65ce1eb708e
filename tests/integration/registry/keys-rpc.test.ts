import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { status, type ServiceError } from "@grpc/grpc-js";
import { createKeyClient, type KeyClient } from "@trackway/registry-client";
import { reasonOf } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRegistry, type TestRegistry } from "../../support/index.js";

// KeyService on a real registry and Postgres: keys:admin manages its own tenant's keys, keys:operator every tenant's.
let t: TestRegistry;
let shopAdmin: KeyClient, operator: KeyClient, plain: KeyClient, anonymous: KeyClient;
const keys: { shopAdmin?: { key: string; actor: string }; operator?: { key: string; actor: string } } = {};
const opened: KeyClient[] = [];
const client = (key?: string) => {
  const c = createKeyClient(t.registry.address, { apiKey: key });
  opened.push(c);
  return c;
};

beforeAll(async () => {
  t = await startTestRegistry();
  keys.shopAdmin = await t.key("keys-shop", ["keys:admin", "events:write", "schemas:read"]);
  keys.operator = await t.key("keys-ops", ["keys:operator"]);
  shopAdmin = client(keys.shopAdmin.key);
  operator = client(keys.operator.key);
  plain = client((await t.key("keys-shop", ["events:write", "schemas:admin"])).key);
  anonymous = client(undefined);
});
afterAll(async () => {
  for (const c of opened) c.close();
  await t?.stop();
});

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "allowed",
    (e: ServiceError) => [status[e.code], reasonOf(e)],
  );

describe("KeyService", () => {
  it("refuses without a key and without keys:admin", async () => {
    expect(await outcome(anonymous.listKeys({}))).toEqual(["UNAUTHENTICATED", "API_KEY_MISSING"]);
    expect(await outcome(plain.listKeys({}))).toEqual(["PERMISSION_DENIED", "SCOPE_MISSING"]);
    expect(await outcome(plain.createKey({ scopes: ["events:write"] }))).toEqual(["PERMISSION_DENIED", "SCOPE_MISSING"]);
  });

  it("lets a tenant's keys:admin issue keys of its tenant with scopes it holds, and the new key works", async () => {
    const made = await shopAdmin.createKey({ name: "web", scopes: ["events:write"] });
    expect(made.record).toMatchObject({ tenant: "keys-shop", name: "web", scopes: ["events:write"], createdBy: keys.shopAdmin!.actor });
    expect(made.key).toMatch(/^twk_/);
    expect(await outcome(shopAdmin.createKey({ tenant: "keys-rival", scopes: ["events:write"] }))).toEqual(["PERMISSION_DENIED", "TENANT_FORBIDDEN"]);
    expect(await outcome(shopAdmin.createKey({ scopes: ["schemas:admin"] }))).toEqual(["PERMISSION_DENIED", "SCOPE_ESCALATION"]);
    expect(await outcome(shopAdmin.createKey({ scopes: ["keys:operator"] }))).toEqual(["PERMISSION_DENIED", "SCOPE_ESCALATION"]);
    // No scopes: the defaults, which include query:read this admin lacks.
    expect(await outcome(shopAdmin.createKey({}))).toEqual(["PERMISSION_DENIED", "SCOPE_ESCALATION"]);
    expect(await outcome(shopAdmin.createKey({ scopes: ["nope"] }))).toEqual(["INVALID_ARGUMENT", "SCOPE_UNKNOWN"]);
    const ids = (await shopAdmin.listKeys({})).keys.map((k) => k.id);
    expect(ids).toContain(made.record!.id);
    expect(await outcome(shopAdmin.listKeys({ tenant: "keys-ops" }))).toEqual(["PERMISSION_DENIED", "TENANT_FORBIDDEN"]);
  });

  it("revokes only its own tenant's keys; another tenant's id is not found to it; keys:operator revokes any", async () => {
    const rivalKey = (await operator.createKey({ tenant: "keys-rival", scopes: ["schemas:admin", "keys:admin"] })).record!;
    expect(rivalKey).toMatchObject({ tenant: "keys-rival", createdBy: keys.operator!.actor });
    expect(await outcome(shopAdmin.revokeKey({ id: rivalKey.id }))).toEqual(["NOT_FOUND", "KEY_NOT_FOUND"]);
    expect(await outcome(plain.revokeKey({ id: rivalKey.id }))).toEqual(["PERMISSION_DENIED", "SCOPE_MISSING"]);
    const own = (await shopAdmin.createKey({ scopes: ["events:write"] })).record!;
    expect((await shopAdmin.revokeKey({ id: own.id })).record!.revokedAt).toBeInstanceOf(Date);
    expect((await operator.revokeKey({ id: rivalKey.id })).record!.revokedAt).toBeInstanceOf(Date);
    expect((await operator.listKeys({ tenant: "keys-rival", includeRevoked: true })).keys.map((k) => [k.id, k.revokedAt !== undefined])).toEqual([[rivalKey.id, true]]);
  });

  it("audits issues, revocations and refusals with the caller", async () => {
    const { entries } = await t.client.listAuditEntries({ limit: 100 });
    const of = (action: string) => entries.filter((e) => e.action === action);
    expect(new Set(of("KEY_CREATE").map((e) => e.actor))).toEqual(new Set([keys.shopAdmin!.actor, keys.operator!.actor]));
    expect(of("KEY_REVOKE")).toHaveLength(2);
    expect(of("ACCESS_DENIED").map((e) => JSON.parse(e.afterJson).reason)).toEqual(expect.arrayContaining(["TENANT_FORBIDDEN", "SCOPE_ESCALATION", "SCOPE_MISSING"]));
  });
});

describe("trackway keys with --api-key", () => {
  const cli = async (...args: string[]) =>
    (await promisify(execFile)("node", [join(import.meta.dirname, "../../../packages/cli/bin/trackway.js"), "keys", ...args, "--registry", t.registry.address])).stdout;

  it("creates, lists and revokes through the KeyService; refusals carry the registry's reason", async () => {
    const made = JSON.parse(await cli("create", "--tenant", "keys-shop", "--scope", "events:write", "--json", "--api-key", keys.shopAdmin!.key)) as { key: string; id: string };
    expect(made.key).toMatch(/^twk_/);
    expect(await cli("list", "--api-key", keys.shopAdmin!.key)).toContain(made.id);
    await expect(cli("create", "--tenant", "keys-rival", "--scope", "events:write", "--api-key", keys.shopAdmin!.key)).rejects.toThrow(/TENANT_FORBIDDEN/);
    await cli("revoke", made.id, "--api-key", keys.shopAdmin!.key);
    expect(await cli("list", "--all", "--api-key", keys.shopAdmin!.key)).toMatch(new RegExp(`${made.id}.*revoked`));
  });
});
