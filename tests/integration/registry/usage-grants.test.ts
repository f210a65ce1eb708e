import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { status, type ServiceError } from "@grpc/grpc-js";
import { EventUse, UsageRestriction, type DeepPartial } from "@trackway/proto/registry/v1";
import type { RegistryClient } from "@trackway/registry-client";
import { reasonOf } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proto, startTestRegistry, type TestRegistry } from "../../support/index.js";

// Send and query restrictions over the registry's RPCs (and the CLI on them), on a real registry and Postgres.
type Key = { key: string; keyId: string; actor: string };
let t: TestRegistry;
let owner: Key, rival: Key, reader: Key;
const c: Record<string, RegistryClient> = {};
const source = proto("message Placed {\n  string id = 1;\n}", "ug.v1");
const SEND = EventUse.EVENT_USE_SEND;
// Nested request messages are encoded as given: complete them.
const r = (x: DeepPartial<UsageRestriction>) => UsageRestriction.fromPartial(x);
const QUERY = EventUse.EVENT_USE_QUERY;

beforeAll(async () => {
  t = await startTestRegistry();
  owner = await t.key("ug-team", ["schemas:read", "schemas:write"]);
  rival = await t.key("ug-rival", ["schemas:read", "schemas:write"]);
  reader = await t.key("ug-team", ["schemas:read"]);
  for (const [name, k] of Object.entries({ owner, rival, reader })) c[name] = t.clientWith(k.key);
  c.anonymous = t.clientWith(undefined);
  await c.owner!.registerSchema({ subject: "ug.placed", protoSource: source });
  await t.client.grantPrefix({ grant: { prefix: "ugp.", tenant: "ug-team" } });
});
afterAll(() => t?.stop());

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "allowed",
    (e: ServiceError) => [status[e.code], reasonOf(e)],
  );

describe("usage restriction RPCs", () => {
  it("SetUsageRestriction on a subject: refused without a key, without schemas:write and to a non-owner; allowed to the owner", async () => {
    const restriction = r({ subject: "ug.placed", use: SEND, tenants: ["ug-web"] });
    expect(await outcome(c.anonymous!.setUsageRestriction({ restriction }))).toEqual(["UNAUTHENTICATED", "API_KEY_MISSING"]);
    expect(await outcome(c.reader!.setUsageRestriction({ restriction }))).toEqual(["PERMISSION_DENIED", "SCOPE_MISSING"]);
    expect(await outcome(c.rival!.setUsageRestriction({ restriction }))).toEqual(["PERMISSION_DENIED", "NOT_SUBJECT_OWNER"]);
    expect(await outcome(c.rival!.clearUsageRestriction({ restriction }))).toEqual(["PERMISSION_DENIED", "NOT_SUBJECT_OWNER"]);
    expect(await c.owner!.setUsageRestriction({ restriction })).toEqual({ replaced: false });
    expect(await c.owner!.setUsageRestriction({ restriction: { ...restriction, tenants: ["ug-web", "ug-app", "ug-web"] } })).toEqual({ replaced: true });
  });

  it("on a prefix: allowed to a holder of a grant on it (or a shorter prefix), refused to others", async () => {
    const restriction = r({ prefix: "ugp.", use: QUERY, tenants: ["ug-analysts"] });
    expect(await outcome(c.rival!.setUsageRestriction({ restriction }))).toEqual(["PERMISSION_DENIED", "GRANT_NOT_HELD"]);
    expect(await outcome(c.owner!.setUsageRestriction({ restriction: { ...restriction, prefix: "ug" } }))).toEqual(["PERMISSION_DENIED", "GRANT_NOT_HELD"]);
    expect(await c.owner!.setUsageRestriction({ restriction })).toEqual({ replaced: false });
    expect(await c.owner!.setUsageRestriction({ restriction: r({ prefix: "ugp.deep.", use: QUERY, tenants: [] }) })).toEqual({ replaced: false });
  });

  it("refuses a restriction without exactly one target, without a use or with an empty tenant with INVALID_ARGUMENT", async () => {
    expect(await outcome(t.client.setUsageRestriction({}))).toEqual(["INVALID_ARGUMENT", "ARGUMENT_INVALID"]);
    expect(await outcome(t.client.setUsageRestriction({ restriction: r({ subject: "ug.placed", prefix: "ug.", use: SEND }) }))).toEqual(["INVALID_ARGUMENT", "ARGUMENT_INVALID"]);
    expect(await outcome(t.client.setUsageRestriction({ restriction: r({ use: SEND }) }))).toEqual(["INVALID_ARGUMENT", "ARGUMENT_INVALID"]);
    expect(await outcome(t.client.setUsageRestriction({ restriction: r({ subject: "ug.placed" }) }))).toEqual(["INVALID_ARGUMENT", "ARGUMENT_INVALID"]);
    expect(await outcome(t.client.setUsageRestriction({ restriction: r({ subject: "ug.placed", use: SEND, tenants: [""] }) }))).toEqual(["INVALID_ARGUMENT", "ARGUMENT_INVALID"]);
  });

  it("ListUsageRestrictions: every restriction with the owners and grants deciding them, for schemas:read", async () => {
    expect(await outcome(c.anonymous!.listUsageRestrictions({}))).toEqual(["UNAUTHENTICATED", "API_KEY_MISSING"]);
    const r = await c.reader!.listUsageRestrictions({});
    expect(r.restrictions).toEqual([
      { subject: "ug.placed", prefix: "", use: SEND, tenants: ["ug-app", "ug-web"] },
      { subject: "", prefix: "ugp.", use: QUERY, tenants: ["ug-analysts"] },
      { subject: "", prefix: "ugp.deep.", use: QUERY, tenants: [] },
    ]);
    expect(r.owners).toEqual([{ subject: "ug.placed", tenant: "ug-team" }]);
    expect(r.grants).toEqual([{ prefix: "ugp.", tenant: "ug-team" }]);
  });

  it("ClearUsageRestriction removes one restriction (and says when there was none)", async () => {
    const restriction = r({ prefix: "ugp.deep.", use: QUERY });
    expect(await c.owner!.clearUsageRestriction({ restriction })).toEqual({ removed: true });
    expect(await c.owner!.clearUsageRestriction({ restriction })).toEqual({ removed: false });
    expect((await c.reader!.listUsageRestrictions({})).restrictions.map((x) => x.prefix || x.subject)).toEqual(["ug.placed", "ugp."]);
  });

  it("audits each change with the authenticated key, each refusal as ACCESS_DENIED, and streams changes on Watch", async () => {
    const { entries } = await t.client.listAuditEntries({ limit: 200 });
    const of = (action: string) => entries.filter((e) => e.action === action);
    expect(of("RESTRICT_USE").map((e) => [e.subject, e.actor, JSON.parse(e.afterJson)]).reverse()).toEqual([
      ["ug.placed", owner.actor, { subject: "ug.placed", use: "send", tenants: ["ug-web"] }],
      ["ug.placed", owner.actor, { subject: "ug.placed", use: "send", tenants: ["ug-app", "ug-web"] }],
      ["", owner.actor, { prefix: "ugp.", use: "query", tenants: ["ug-analysts"] }],
      ["", owner.actor, { prefix: "ugp.deep.", use: "query", tenants: [] }],
    ]);
    expect(of("UNRESTRICT_USE").map((e) => [e.actor, JSON.parse(e.afterJson)])).toEqual([[owner.actor, { prefix: "ugp.deep.", use: "query" }]]);
    const denied = of("ACCESS_DENIED").map((e) => [e.actor, JSON.parse(e.afterJson).reason]);
    expect(denied).toEqual(expect.arrayContaining([[rival.actor, "NOT_SUBJECT_OWNER"], [rival.actor, "GRANT_NOT_HELD"], [owner.actor, "GRANT_NOT_HELD"], [reader.actor, "SCOPE_MISSING"]]));
  });
});

describe("trackway schema restrict|unrestrict|restrictions", () => {
  const cli = async (key: string, ...args: string[]) =>
    (await promisify(execFile)("node", [join(import.meta.dirname, "../../../packages/cli/bin/trackway.js"), "schema", "--registry", t.registry.address, "--api-key", key, ...args])).stdout;

  it("set, list and clear restrictions with a key; a key without rights gets the registry's reason", async () => {
    await cli(owner.key, "restrict", "--subject", "ug.placed", "--use", "query", "--tenants", "ug-bi, ug-ops");
    expect(await cli(reader.key, "restrictions")).toContain("ug.placed\tquery\tug-bi,ug-ops");
    await expect(cli(rival.key, "restrict", "--subject", "ug.placed", "--use", "query", "--tenants", "ug-rival")).rejects.toThrow(/NOT_SUBJECT_OWNER/);
    await expect(cli(owner.key, "restrict", "--subject", "ug.placed", "--prefix", "ug.", "--use", "query", "--tenants", "x")).rejects.toThrow(/exactly one of --subject and --prefix/);
    await expect(cli(owner.key, "restrict", "--subject", "ug.placed", "--use", "read", "--tenants", "x")).rejects.toThrow(/--use must be send or query/);
    await cli(owner.key, "unrestrict", "--subject", "ug.placed", "--use", "query");
    expect(await cli(reader.key, "restrictions")).not.toContain("ug.placed\tquery");
    await expect(cli(owner.key, "unrestrict", "--subject", "ug.placed", "--use", "query")).rejects.toThrow(/has no restriction/);
  });
});
