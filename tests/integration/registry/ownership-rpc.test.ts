import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { status, type ServiceError } from "@grpc/grpc-js";
import type { RegistryClient } from "@trackway/registry-client";
import { reasonOf } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proto, startTestRegistry, type TestRegistry } from "../../support/index.js";

// Owners and prefix grants over the registry's own RPCs (and the CLI on them), on a real registry and Postgres.
type Key = { key: string; keyId: string; actor: string };
let t: TestRegistry;
let holder: Key, rival: Key, reader: Key, heir: Key;
const c: Record<string, RegistryClient> = {};
const source = proto("message Made {\n  string id = 1;\n}", "own.v1");

beforeAll(async () => {
  t = await startTestRegistry();
  holder = await t.key("own-team", ["schemas:read", "schemas:write"]);
  rival = await t.key("own-rival", ["schemas:read", "schemas:write"]);
  reader = await t.key("own-team", ["schemas:read"]);
  heir = await t.key("own-heir", ["schemas:read", "schemas:write"]);
  for (const [name, k] of Object.entries({ holder, rival, reader, heir })) c[name] = t.clientWith(k.key);
  c.anonymous = t.clientWith(undefined);
});
afterAll(() => t?.stop());

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "allowed",
    (e: ServiceError) => [status[e.code], reasonOf(e)],
  );

describe("ownership RPCs", () => {
  it("GrantPrefix: refused without a key, without schemas:write, and to a tenant holding no covering grant; allowed to schemas:admin", async () => {
    const grant = { prefix: "own.", tenant: "own-team" };
    expect(await outcome(c.anonymous!.grantPrefix({ grant }))).toEqual(["UNAUTHENTICATED", "API_KEY_MISSING"]);
    expect(await outcome(c.reader!.grantPrefix({ grant }))).toEqual(["PERMISSION_DENIED", "SCOPE_MISSING"]);
    expect(await outcome(c.holder!.grantPrefix({ grant }))).toEqual(["PERMISSION_DENIED", "GRANT_NOT_HELD"]);
    expect(await t.client.grantPrefix({ grant })).toEqual({ created: true });
    expect(await t.client.grantPrefix({ grant })).toEqual({ created: false });
    expect((await c.reader!.listPrefixGrants({})).grants).toEqual([grant]);
  });

  it("lets a holder hand on part of its prefix, never a shorter or another prefix", async () => {
    expect(await c.holder!.grantPrefix({ grant: { prefix: "own.sub.", tenant: "own-heir" } })).toEqual({ created: true });
    expect(await outcome(c.holder!.grantPrefix({ grant: { prefix: "ow", tenant: "own-team" } }))).toEqual(["PERMISSION_DENIED", "GRANT_NOT_HELD"]);
    expect(await outcome(c.rival!.revokePrefixGrant({ grant: { prefix: "own.sub.", tenant: "own-heir" } }))).toEqual(["PERMISSION_DENIED", "GRANT_NOT_HELD"]);
    expect(await c.holder!.revokePrefixGrant({ grant: { prefix: "own.sub.", tenant: "own-heir" } })).toEqual({ removed: true });
    expect(await c.holder!.revokePrefixGrant({ grant: { prefix: "own.sub.", tenant: "own-heir" } })).toEqual({ removed: false });
  });

  it("refuses a grant without prefix or tenant with INVALID_ARGUMENT", async () => {
    expect(await outcome(t.client.grantPrefix({ grant: { prefix: "", tenant: "x" } }))).toEqual(["INVALID_ARGUMENT", "ARGUMENT_INVALID"]);
    expect(await outcome(t.client.grantPrefix({}))).toEqual(["INVALID_ARGUMENT", "ARGUMENT_INVALID"]);
    expect(await outcome(t.client.grantPrefix({ grant: { prefix: "x.".repeat(200), tenant: "x" } }))).toEqual(["INVALID_ARGUMENT", "ARGUMENT_INVALID"]);
    expect(await outcome(t.client.setSubjectOwner({ subject: "own.a", tenant: "" }))).toEqual(["INVALID_ARGUMENT", "ARGUMENT_INVALID"]);
  });

  it("SetSubjectOwner: only the owner (or admin) transfers a subject, which then changes hands", async () => {
    await c.holder!.registerSchema({ subject: "own.made", protoSource: source });
    expect(await c.reader!.getSubjectOwner({ subject: "own.made" })).toEqual({ tenant: "own-team" });
    expect(await outcome(c.anonymous!.getSubjectOwner({ subject: "own.made" }))).toEqual(["UNAUTHENTICATED", "API_KEY_MISSING"]);
    expect(await outcome(c.rival!.setSubjectOwner({ subject: "own.made", tenant: "own-rival" }))).toEqual(["PERMISSION_DENIED", "NOT_SUBJECT_OWNER"]);
    expect(await outcome(c.reader!.setSubjectOwner({ subject: "own.made", tenant: "own-rival" }))).toEqual(["PERMISSION_DENIED", "SCOPE_MISSING"]);
    expect(await c.holder!.setSubjectOwner({ subject: "own.made", tenant: "own-heir" })).toEqual({ previousTenant: "own-team" });
    expect(await c.holder!.getSubjectOwner({ subject: "own.made" })).toEqual({ tenant: "own-heir" });
    expect(await outcome(c.heir!.updateSubject({ subject: "own.made", description: "ours" }))).toBe("allowed");
    // The team still holds the grant on own., so it keeps changing rights over the name; the rival never had any.
    expect(await outcome(c.rival!.updateSubject({ subject: "own.made", description: "mine" }))).toEqual(["PERMISSION_DENIED", "NOT_SUBJECT_OWNER"]);
    expect(await t.client.setSubjectOwner({ subject: "own.made", tenant: "own-team" })).toEqual({ previousTenant: "own-heir" });
  });

  it("audits each change with the authenticated key and each refusal as ACCESS_DENIED", async () => {
    const { entries } = await t.client.listAuditEntries({ limit: 200 });
    const of = (action: string) => entries.filter((e) => e.action === action);
    expect(of("GRANT").map((e) => [e.actor, JSON.parse(e.afterJson)])).toEqual([
      [holder.actor, { prefix: "own.sub.", tenant: "own-heir" }],
      [t.admin.actor, { prefix: "own.", tenant: "own-team" }],
    ]);
    expect(of("UNGRANT").map((e) => e.actor)).toEqual([holder.actor]);
    expect(of("SET_OWNER").map((e) => [e.subject, e.actor, JSON.parse(e.beforeJson).tenant, JSON.parse(e.afterJson).tenant])).toEqual([
      ["own.made", t.admin.actor, "own-heir", "own-team"],
      ["own.made", holder.actor, "own-team", "own-heir"],
    ]);
    const denied = of("ACCESS_DENIED").map((e) => [e.actor, JSON.parse(e.afterJson).reason]);
    expect(denied).toEqual(expect.arrayContaining([[holder.actor, "GRANT_NOT_HELD"], [rival.actor, "GRANT_NOT_HELD"], [rival.actor, "NOT_SUBJECT_OWNER"], [reader.actor, "SCOPE_MISSING"]]));
  });
});

describe("trackway schema grant|ungrant|grants|owner over RPC", () => {
  const cli = async (key: string, ...args: string[]) =>
    (await promisify(execFile)("node", [join(import.meta.dirname, "../../../packages/cli/bin/trackway.js"), "schema", "--registry", t.registry.address, "--api-key", key, ...args])).stdout;

  it("manage grants and owners with a key, audited as that key; a key without rights gets the registry's reason", async () => {
    await cli(t.admin.key, "grant", "--prefix", "cli-rpc.", "--tenant", "own-heir");
    // The holder sees it; another tenant's key does not (grants are the tenants' business).
    expect(await cli(heir.key, "grants")).toContain("cli-rpc.\town-heir");
    expect(await cli(reader.key, "grants")).not.toContain("cli-rpc.");
    expect(await outcome(c.heir!.registerSchema({ subject: "cli-rpc.made", protoSource: source }))).toBe("allowed");
    expect((await cli(reader.key, "owner", "cli-rpc.made")).trim()).toBe("own-heir");
    await expect(cli(rival.key, "owner", "cli-rpc.made", "--tenant", "own-rival")).rejects.toThrow(/NOT_SUBJECT_OWNER/);
    await expect(cli(rival.key, "ungrant", "--prefix", "cli-rpc.", "--tenant", "own-heir")).rejects.toThrow(/GRANT_NOT_HELD/);
    await cli(heir.key, "owner", "cli-rpc.made", "--tenant", "own-rival");
    await cli(t.admin.key, "ungrant", "--prefix", "cli-rpc.", "--tenant", "own-heir");
    expect(await cli(t.admin.key, "grants")).not.toContain("cli-rpc.");
    expect(await outcome(c.rival!.updateSubject({ subject: "cli-rpc.made", description: "ours now" }))).toBe("allowed");
    const { entries } = await t.client.listAuditEntries({ subject: "cli-rpc.made", limit: 20 });
    expect(entries.filter((e) => e.action === "SET_OWNER").map((e) => e.actor)).toEqual([heir.actor]);
  });
});
