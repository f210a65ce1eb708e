import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { status, type ServiceError } from "@grpc/grpc-js";
import { CompatibilityMode, Lifecycle } from "@trackway/proto/registry/v1";
import type { RegistryClient } from "@trackway/registry-client";
import { reasonOf } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proto, startTestRegistry, type TestRegistry } from "../../support/index.js";

type Key = { key: string; keyId: string; actor: string };
let t: TestRegistry;
let owner: Key, rival: Key, reader: Key, team: Key;
const clients: Record<string, RegistryClient> = {};
const subject = "acl.order_completed";
const source = (fields: string) => proto(`message OrderCompleted {\n  string id = 1;\n${fields}}`, "acl.v1");

beforeAll(async () => {
  t = await startTestRegistry();
  owner = await t.key("owner-co", ["schemas:read", "schemas:write"]);
  rival = await t.key("rival-co", ["schemas:read", "schemas:write"]);
  // The owner's tenant, but a key that may only read.
  reader = await t.key("owner-co", ["schemas:read", "events:write"]);
  team = await t.key("team-co", ["schemas:read", "schemas:write"]);
  for (const [name, k] of Object.entries({ owner, rival, reader, team })) clients[name] = t.clientWith(k.key);
  clients.anonymous = t.clientWith(undefined);
  // Creating the subject claims it for the owner's tenant.
  await clients.owner!.registerSchema({ subject, protoSource: source("") });
});
afterAll(() => t?.stop());

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "allowed",
    (e: ServiceError) => [status[e.code], reasonOf(e)],
  );

/** Every change RPC on the subject, each a call that changes something new when allowed. */
const writes: Record<string, (c: RegistryClient, n: number) => Promise<unknown>> = {
  RegisterSchema: (c, n) => c.registerSchema({ subject, protoSource: source(`  string f${n} = ${n + 1};\n`) }),
  SetCompatibility: (c, n) => c.setCompatibility({ subject, mode: n % 2 ? CompatibilityMode.COMPATIBILITY_MODE_FULL : CompatibilityMode.COMPATIBILITY_MODE_BACKWARD }),
  SetLifecycle: (c) => c.setLifecycle({ subject, version: 1, lifecycle: Lifecycle.LIFECYCLE_DEPRECATED }),
  UpdateSubject: (c, n) => c.updateSubject({ subject, description: `take ${n}`, owners: ["team-orders"] }),
};

describe("registry gRPC access", () => {
  let n = 10;
  for (const [rpc, call] of Object.entries(writes)) {
    it(`${rpc}: refused without a key, without schemas:write, and to another tenant; allowed for the owner`, async () => {
      expect(await outcome(call(clients.anonymous!, n++))).toEqual(["UNAUTHENTICATED", "API_KEY_MISSING"]);
      expect(await outcome(call(clients.reader!, n++))).toEqual(["PERMISSION_DENIED", "SCOPE_MISSING"]);
      expect(await outcome(call(clients.rival!, n++))).toEqual(["PERMISSION_DENIED", "NOT_SUBJECT_OWNER"]);
      expect(await outcome(call(clients.owner!, n++))).toBe("allowed");
    });
  }

  it("audits every change with the authenticated key and every refused one as ACCESS_DENIED, ignoring a request's actor", async () => {
    await clients.owner!.updateSubject({ subject, description: "final", actor: "mallory" });
    const { entries } = await t.client.listAuditEntries({ subject, limit: 100 });
    const changes = entries.filter((e) => e.action !== "ACCESS_DENIED");
    expect(new Set(changes.map((e) => e.actor))).toEqual(new Set([owner.actor]));
    expect(changes.map((e) => e.action)).toEqual(expect.arrayContaining(["REGISTER", "SET_COMPATIBILITY", "SET_LIFECYCLE", "UPDATE_SUBJECT"]));
    const denied = entries.filter((e) => e.action === "ACCESS_DENIED");
    expect(new Set(denied.map((e) => e.actor))).toEqual(new Set([reader.actor, rival.actor]));
    expect(denied.map((e) => JSON.parse(e.afterJson).reason as string)).toEqual(expect.arrayContaining(["SCOPE_MISSING", "NOT_SUBJECT_OWNER"]));
  });

  it("refuses reads without a key, and allows them with schemas:read", async () => {
    expect(await outcome(clients.anonymous!.getSchema({ subject }))).toEqual(["UNAUTHENTICATED", "API_KEY_MISSING"]);
    expect(await outcome(clients.anonymous!.listSubjects({}))).toEqual(["UNAUTHENTICATED", "API_KEY_MISSING"]);
    expect(await outcome(t.clientWith(`twk_${"A".repeat(43)}`).listSubjects({}))).toEqual(["UNAUTHENTICATED", "API_KEY_INVALID"]);
    expect(await outcome(clients.reader!.getSchema({ subject }))).toBe("allowed");
    expect(await outcome(clients.reader!.checkCompatibility({ subject, protoSource: source("") }))).toBe("allowed");
  });

  it("keeps the global default to schemas:admin", async () => {
    const global = (c: RegistryClient) => c.setCompatibility({ subject: "", mode: CompatibilityMode.COMPATIBILITY_MODE_BACKWARD });
    expect(await outcome(global(clients.owner!))).toEqual(["PERMISSION_DENIED", "SCOPE_MISSING"]);
    expect(await outcome(global(t.client))).toBe("allowed");
  });

  it("lets a prefix grant's holder create and change subjects under it, and keeps every other tenant out", async () => {
    await t.registry.access.ownership.grant("team.", "team-co", t.admin.actor);
    const create = (c: RegistryClient, name: string) => c.registerSchema({ subject: name, protoSource: source("") });
    expect(await outcome(create(clients.rival!, "team.signup"))).toEqual(["PERMISSION_DENIED", "SUBJECT_PREFIX_GRANTED"]);
    expect(await outcome(create(clients.team!, "team.signup"))).toBe("allowed");
    expect(await outcome(clients.rival!.updateSubject({ subject: "team.signup", description: "mine" }))).toEqual(["PERMISSION_DENIED", "NOT_SUBJECT_OWNER"]);
    expect(await t.registry.access.ownership.ownerOf("team.signup")).toBe("team-co");
  });
});

describe("trackway schema grant|owner", () => {
  const cli = async (...args: string[]) =>
    (await promisify(execFile)("node", [join(import.meta.dirname, "../../../packages/cli/bin/trackway.js"), "schema", ...args, "--database-url", t.databaseUrl])).stdout;

  it("grant a prefix to a tenant and transfer a subject, which then changes hands", async () => {
    await cli("grant", "--prefix", "cli.", "--tenant", "team-co");
    expect(await cli("grants")).toContain("cli.\tteam-co");
    expect(await outcome(clients.rival!.registerSchema({ subject: "cli.made", protoSource: source("") }))).toEqual(["PERMISSION_DENIED", "SUBJECT_PREFIX_GRANTED"]);
    expect(await outcome(clients.team!.registerSchema({ subject: "cli.made", protoSource: source("") }))).toBe("allowed");
    expect((await cli("owner", "cli.made")).trim()).toBe("team-co");
    await cli("ungrant", "--prefix", "cli.", "--tenant", "team-co");
    await cli("owner", "cli.made", "--tenant", "rival-co");
    expect(await outcome(clients.rival!.updateSubject({ subject: "cli.made", description: "ours now" }))).toBe("allowed");
    expect(await outcome(clients.team!.updateSubject({ subject: "cli.made", description: "still ours?" }))).toEqual(["PERMISSION_DENIED", "NOT_SUBJECT_OWNER"]);
  });
});

describe("registry REST access", () => {
  const basic = (k: Key) => ({ authorization: `Basic ${Buffer.from(`${k.keyId}:${k.key}`).toString("base64")}` });
  const rest = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const res = await fetch(`${t.rest}${path}`, {
      method,
      headers: { "content-type": "application/vnd.schemaregistry.v1+json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as { error_code?: number };
    return res.status >= 400 ? { status: res.status, error_code: json.error_code, auth: res.headers.get("www-authenticate") ?? undefined } : "allowed";
  };
  const restSubject = "acl.rest_order";
  let n = 50;
  const routes: Record<string, () => [string, string, unknown?]> = {
    "POST /subjects/{s}/versions": () => ["POST", `/subjects/${restSubject}/versions`, { schemaType: "PROTOBUF", schema: source(`  string r${n} = ${n++};\n`) }],
    "PUT /config/{s}": () => ["PUT", `/config/${restSubject}`, { compatibility: "NONE" }],
    "DELETE /subjects/{s}/versions/{v}": () => ["DELETE", `/subjects/${restSubject}/versions/latest`],
    "DELETE /subjects/{s}": () => ["DELETE", `/subjects/${restSubject}`],
    // Last: it puts the subject back on the default mode.
    "DELETE /config/{s}": () => ["DELETE", `/config/${restSubject}`],
  };

  beforeAll(async () => {
    expect(await rest("POST", `/subjects/${restSubject}/versions`, basic(owner), { schemaType: "PROTOBUF", schema: source("") })).toBe("allowed");
    // Each attempt below registers an unrelated field: only access is under test, not compatibility.
    expect(await rest("PUT", `/config/${restSubject}`, basic(owner), { compatibility: "NONE" })).toBe("allowed");
  });

  for (const [route, request] of Object.entries(routes)) {
    it(`${route}: 401 without a key, 403 without schemas:write or to another tenant, allowed for the owner`, async () => {
      // A body for the subject's last version, so the deletes have something to delete when allowed.
      await rest("POST", `/subjects/${restSubject}/versions`, basic(owner), { schemaType: "PROTOBUF", schema: source(`  string keep${n} = ${n++};\n`) });
      const [method, path, body] = request();
      expect(await rest(method, path, {}, body)).toEqual({ status: 401, error_code: 401, auth: 'Basic realm="trackway-registry"' });
      expect(await rest(method, path, { authorization: `Basic ${Buffer.from(`${rival.keyId}:${owner.key}`).toString("base64")}` }, body)).toMatchObject({ status: 401 });
      expect(await rest(method, path, basic(reader), body)).toMatchObject({ status: 403, error_code: 40301 });
      expect(await rest(method, path, basic(rival), body)).toMatchObject({ status: 403, error_code: 40301 });
      expect(await rest(method, path, { authorization: `Bearer ${owner.key}` }, body)).toBe("allowed");
    });
  }

  it("PUT /config (global): 403 for a subject owner, allowed for schemas:admin", async () => {
    expect(await rest("PUT", "/config", basic(owner), { compatibility: "BACKWARD" })).toMatchObject({ status: 403, error_code: 40301 });
    expect(await rest("PUT", "/config", t.auth, { compatibility: "BACKWARD" })).toBe("allowed");
  });

  it("reads need a key with schemas:read; the audit names the key, not x-trackway-actor", async () => {
    expect(await rest("GET", "/subjects", {})).toMatchObject({ status: 401, error_code: 401 });
    expect(await rest("GET", "/subjects", basic(reader))).toBe("allowed");
    expect(await rest("PUT", `/config/${restSubject}`, { ...basic(owner), "x-trackway-actor": "mallory" }, { compatibility: "NONE" })).toBe("allowed");
    const { entries } = await t.client.listAuditEntries({ subject: restSubject, limit: 1 });
    expect(entries[0]).toMatchObject({ action: "SET_COMPATIBILITY", actor: owner.actor });
  });
});

describe("anonymous reads, turned on", () => {
  it("serve reads without a key and still refuse changes", async () => {
    const open = await startTestRegistry({ TRACKWAY_REGISTRY_ANONYMOUS_READ: "true" });
    try {
      const anonymous = open.clientWith(undefined);
      expect(await outcome(anonymous.listSubjects({}))).toBe("allowed");
      expect((await fetch(`${open.rest}/subjects`)).status).toBe(200);
      expect(await outcome(anonymous.registerSchema({ subject: "open.x", protoSource: source("") }))).toEqual(["UNAUTHENTICATED", "API_KEY_MISSING"]);
      expect((await fetch(`${open.rest}/config`, { method: "PUT", body: JSON.stringify({ compatibility: "NONE" }) })).status).toBe(401);
    } finally {
      await open.stop();
    }
  });
});
