import { status } from "@grpc/grpc-js";
import { CompatibilityMode } from "@trackway/proto/registry/v1";
import { checkHealth, reasonOf } from "@trackway/runtime";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proto, rawRequestStatus, startTestRegistry, type TestRegistry } from "../../support/index.js";

let t: TestRegistry;
let db: pg.Client;
beforeAll(async () => {
  t = await startTestRegistry({ TRACKWAY_REGISTRY_REST_BODY_LIMIT: "64kb" });
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  await t.client.registerSchema({ subject: "base", protoSource: proto("message M { string a = 1; }"), author: "test" });
});
afterAll(async () => {
  await db?.end();
  await t?.stop();
});

/** Row counts of every registry table, to prove a failure wrote nothing. */
async function counts(): Promise<{ subjects: number; versions: number; schemas: number; audit: number }> {
  const { rows } = await db.query(`SELECT
    (SELECT count(*) FROM registry_subjects)::int AS subjects, (SELECT count(*) FROM registry_versions)::int AS versions,
    (SELECT count(*) FROM registry_schemas)::int AS schemas, (SELECT count(*) FROM registry_audit)::int AS audit`);
  return rows[0];
}

const failure = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (x: unknown) => x);
  if (!e) throw new Error("expected the call to fail");
  return { code: (e as { code: number }).code, reason: reasonOf(e), message: (e as Error).message };
};

const rest = async (method: string, path: string, body?: unknown) => {
  const r = await t.restCall<{ error_code?: number; message?: string }>(method, path, body);
  return { status: r.status, body: r.json };
};

describe("bad input", () => {
  it("a malformed .proto: SCHEMA_INVALID with file:line:column (gRPC) and 42201 (REST), nothing written", async () => {
    const before = await counts();
    const e = await failure(t.client.registerSchema({ subject: "bad.syntax", protoSource: proto("message M { strin a = 1; }") }));
    expect(e).toMatchObject({ code: status.INVALID_ARGUMENT, reason: "SCHEMA_INVALID" });
    expect(e.message).toMatch(/bad\.syntax\.proto:3:\d+:/);
    const r = await rest("POST", "/subjects/bad.syntax/versions", { schemaType: "PROTOBUF", schema: "syntax = \"proto3\"; message {" });
    expect(r).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(await counts()).toEqual(before);
  });

  it("a subject whose typed view name another subject has: VIEW_NAME_COLLISION (gRPC), 422/42208 (REST), nothing written (finding 5)", async () => {
    await t.client.registerSchema({ subject: "iso_collide.order", protoSource: proto("message M { string a = 1; }"), author: "test" });
    const before = await counts();
    const e = await failure(t.client.registerSchema({ subject: "iso.collide_order", protoSource: proto("message M { int64 b = 1; }") }));
    expect(e).toMatchObject({ code: status.ALREADY_EXISTS, reason: "VIEW_NAME_COLLISION" });
    expect(e.message).toContain('"dwd_iso_collide_order", which subject "iso_collide.order" already has');
    // Case and other punctuation map to the same view; a dry run is refused the same way.
    expect(await failure(t.client.registerSchema({ subject: "ISO-Collide.Order", protoSource: proto("message M { int64 b = 1; }"), dryRun: true }))).toMatchObject({
      reason: "VIEW_NAME_COLLISION",
    });
    const r = await rest("POST", "/subjects/iso.collide_order/versions", { schemaType: "PROTOBUF", schema: proto("message M { int64 b = 1; }") });
    expect(r).toMatchObject({ status: 422, body: { error_code: 42208 } });
    expect(r.body.message).toContain("dwd_iso_collide_order");
    expect(await counts()).toEqual(before);
    // The holder itself still takes new versions, and a subject with a distinct view is accepted.
    expect((await t.client.registerSchema({ subject: "iso_collide.order", protoSource: proto("message M { string a = 1; string c = 2; }") })).created).toBe(true);
    expect((await t.client.registerSchema({ subject: "iso.collide_orders", protoSource: proto("message M { int64 b = 1; }") })).created).toBe(true);
  });

  it("an unknown import or reference: IMPORT_NOT_FOUND / REFERENCE_INVALID (gRPC), 42201 (REST)", async () => {
    const before = await counts();
    const src = `syntax = "proto3";\npackage p;\nimport "shop/money.proto";\nmessage M { shop.Money m = 1; }\n`;
    expect(await failure(t.client.registerSchema({ subject: "bad.import", protoSource: src }))).toMatchObject({ code: status.INVALID_ARGUMENT, reason: "IMPORT_NOT_FOUND" });
    const ref = { name: "shop/money.proto", subject: "no.such.subject", version: 1 };
    expect(await failure(t.client.registerSchema({ subject: "bad.import", protoSource: src, references: [ref] }))).toMatchObject({ reason: "REFERENCE_INVALID" });
    expect(await rest("POST", "/subjects/bad.import/versions", { schemaType: "PROTOBUF", schema: src })).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(await rest("POST", "/subjects/bad.import/versions", { schemaType: "PROTOBUF", schema: src, references: [ref] })).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(await counts()).toEqual(before);
  });

  it("a missing or wrong message name: MESSAGE_NOT_FOUND", async () => {
    const two = proto("message A { string x = 1; }\nmessage B { string y = 1; }");
    expect(await failure(t.client.registerSchema({ subject: "bad.message", protoSource: two }))).toMatchObject({ code: status.INVALID_ARGUMENT, reason: "MESSAGE_NOT_FOUND" });
    expect(await failure(t.client.registerSchema({ subject: "bad.message", protoSource: two, messageName: "p.C" }))).toMatchObject({ reason: "MESSAGE_NOT_FOUND" });
    expect(await failure(t.client.registerSchema({ subject: "bad.message", protoSource: proto("enum E { E_UNSPECIFIED = 0; }") }))).toMatchObject({ reason: "MESSAGE_NOT_FOUND" });
    // Confluent's rule over REST: no message name means the first message, so this one registers.
    expect((await rest("POST", "/subjects/bad.message/versions", { schemaType: "PROTOBUF", schema: two })).status).toBe(200);
    expect((await t.client.getSchema({ subject: "bad.message" })).schema?.messageName).toBe("p.A");
  });

  it("an unknown subject, version or id: NOT_FOUND with its reason (gRPC), 40401/40402/40403/42202 (REST)", async () => {
    expect(await failure(t.client.getSchema({ subject: "no.such" }))).toMatchObject({ code: status.NOT_FOUND, reason: "SUBJECT_NOT_FOUND" });
    expect(await failure(t.client.getSchema({ subject: "base", version: 9 }))).toMatchObject({ code: status.NOT_FOUND, reason: "VERSION_NOT_FOUND" });
    expect(await failure(t.client.getSchema({ schemaId: 987654 }))).toMatchObject({ code: status.NOT_FOUND, reason: "SCHEMA_NOT_FOUND" });
    expect(await failure(t.client.listVersions({ subject: "no.such" }))).toMatchObject({ reason: "SUBJECT_NOT_FOUND" });
    expect(await failure(t.client.setLifecycle({ subject: "base", version: 9, lifecycle: 2 }))).toMatchObject({ reason: "VERSION_NOT_FOUND" });
    expect(await rest("GET", "/subjects/no.such/versions")).toMatchObject({ status: 404, body: { error_code: 40401 } });
    expect(await rest("GET", "/subjects/base/versions/9")).toMatchObject({ status: 404, body: { error_code: 40402 } });
    expect(await rest("GET", "/subjects/base/versions/0")).toMatchObject({ status: 422, body: { error_code: 42202 } });
    expect(await rest("GET", "/subjects/base/versions/two")).toMatchObject({ status: 422, body: { error_code: 42202 } });
    expect(await rest("GET", "/schemas/ids/987654")).toMatchObject({ status: 404, body: { error_code: 40403 } });
    expect(await rest("PUT", "/config/base", { compatibility: "SIDEWAYS" })).toMatchObject({ status: 422, body: { error_code: 42203 } });
  });

  it("an oversized or malformed body: 413 / 400 / 42201 over REST, RESOURCE_EXHAUSTED over gRPC; the registry keeps serving", async () => {
    const before = await counts();
    const big = proto(`message M { string a = 1; }\n// ${"x".repeat(100 * 1024)}`);
    expect(await rest("POST", "/subjects/too.big/versions", { schemaType: "PROTOBUF", schema: big })).toMatchObject({ status: 413, body: { error_code: 413 } });
    expect(await rest("POST", "/subjects/too.big/versions", "{not json")).toMatchObject({ status: 400, body: { error_code: 400 } });
    expect(await rest("POST", "/subjects/too.big/versions", { schema: "syntax = \"proto3\";" })).toMatchObject({ status: 422, body: { error_code: 42201 } });
    const huge = proto(`message M { string a = 1; }\n// ${"x".repeat(5 * 1024 * 1024)}`);
    expect(await failure(t.client.registerSchema({ subject: "too.big", protoSource: huge }))).toMatchObject({ code: status.RESOURCE_EXHAUSTED });
    expect(await counts()).toEqual(before);
    expect(await checkHealth(t.registry.address)).toBe("SERVING");
    expect((await rest("GET", "/subjects/base/versions/latest")).status).toBe(200);
  });

  it("concurrent registrations of one subject: contiguous versions, one per distinct schema, each audited once", async () => {
    const subject = "race.one";
    await t.client.setCompatibility({ subject, mode: CompatibilityMode.COMPATIBILITY_MODE_BACKWARD, actor: "test" });
    // 12 requests, 6 distinct schemas (each twice), all BACKWARD-compatible with one another.
    const schemas = Array.from({ length: 6 }, (_, i) => proto(`message M { string a = 1; message Extra${i} { string x = 1; } }`));
    const calls = [...schemas, ...schemas].map((protoSource) => t.client.registerSchema({ subject, protoSource, messageName: "p.M", author: "racer" }));
    const results = await Promise.all(calls);
    const versions = (await t.client.listVersions({ subject })).versions.map((v) => v.version);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
    // The two requests for one schema got the same version and id.
    for (let i = 0; i < 6; i++) expect(results[i]!.schema).toMatchObject({ version: results[i + 6]!.schema!.version, schemaId: results[i + 6]!.schema!.schemaId });
    expect(results.filter((r) => r.created)).toHaveLength(6);
    const audit = await db.query("SELECT version FROM registry_audit WHERE subject = $1 AND action = 'REGISTER' ORDER BY version", [subject]);
    expect(audit.rows.map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("concurrent conflicting registrations: the first wins, the other gets SCHEMA_INCOMPATIBLE, nothing half-written", async () => {
    const subject = "race.conflict";
    await t.client.registerSchema({ subject, protoSource: proto("message M { string a = 1; }") });
    const before = await counts();
    const asInt = proto("message M { string a = 1; int32 b = 2; }");
    const asString = proto("message M { string a = 1; string b = 2; }");
    const settled = await Promise.allSettled([asInt, asString].map((protoSource) => t.client.registerSchema({ subject, protoSource })));
    expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(1);
    const rejected = settled.find((s) => s.status === "rejected") as PromiseRejectedResult;
    expect(reasonOf(rejected.reason)).toBe("SCHEMA_INCOMPATIBLE");
    const after = await counts();
    expect(after).toEqual({ ...before, versions: before.versions + 1, schemas: before.schemas + 1, audit: before.audit + 1 });
  });

  it("concurrent first registrations of a new subject create it once", async () => {
    const src = proto("message M { string a = 1; }", "first");
    const results = await Promise.all(Array.from({ length: 5 }, () => t.client.registerSchema({ subject: "race.new", protoSource: src })));
    expect(new Set(results.map((r) => r.schema?.version))).toEqual(new Set([1]));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect((await db.query("SELECT count(*)::int AS n FROM registry_subjects WHERE name = 'race.new'")).rows[0].n).toBe(1);
  });

  it("a request target that is not a URL: 400, not a 500 (REST)", async () => {
    const { hostname, port } = new URL(t.rest);
    expect(await rawRequestStatus(hostname, Number(port), "http://[")).toBe(400);
    expect((await rest("GET", "/subjects")).status).toBe(200);
  });
});
