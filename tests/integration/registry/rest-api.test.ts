import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRegistry, type TestRegistry } from "../../support/index.js";

let t: TestRegistry;
beforeAll(async () => {
  t = await startTestRegistry();
});
afterAll(() => t?.stop());

const call = (method: string, path: string, body?: unknown) => t.restCall<never>(method, path, body, { "x-trackway-actor": "rest-test", ...t.auth });
const pb = (schema: string, references?: unknown[]) => ({ schemaType: "PROTOBUF", schema, ...(references ? { references } : {}) });

const money = `syntax = "proto3";\npackage shop.common.v1;\nmessage Money { int64 units = 1; string currency = 2; }\n`;
const order = `syntax = "proto3";\npackage shop.v1;\nimport "shop/common/v1/money.proto";\nmessage Order { string id = 1; shop.common.v1.Money total = 2; }\n`;

describe("the Confluent-compatible REST API", () => {
  it("registers with references and serves versions, raw schemas and ids in Confluent's shapes", async () => {
    expect((await call("GET", "/")).json).toEqual({});
    expect((await call("GET", "/schemas/types")).json).toEqual(["PROTOBUF"]);
    const m = await call("POST", "/subjects/shop.money/versions", pb(money));
    expect(m.status).toBe(200);
    expect(m.type).toBe("application/vnd.schemaregistry.v1+json");
    const refs = [{ name: "shop/common/v1/money.proto", subject: "shop.money", version: 1 }];
    const o = await call("POST", "/subjects/shop.order/versions", pb(order, refs));
    expect(o.status).toBe(200);
    const id = (o.json as { id: number }).id;

    expect((await call("GET", "/subjects")).json).toEqual(expect.arrayContaining(["shop.money", "shop.order", "trackway.event.v1"]));
    expect((await call("GET", "/subjects?subjectPrefix=shop.")).json).toEqual(["shop.money", "shop.order"]);
    expect((await call("GET", "/subjects/shop.order/versions")).json).toEqual([1]);
    expect((await call("GET", "/subjects/shop.order/versions/latest")).json).toEqual({
      subject: "shop.order", version: 1, id, schemaType: "PROTOBUF", schema: order, references: refs,
    });
    expect((await call("GET", "/subjects/shop.order/versions/1/schema")).text).toBe(order);
    expect((await call("GET", `/schemas/ids/${id}`)).json).toEqual({ schemaType: "PROTOBUF", schema: order, references: refs });
    expect((await call("GET", `/schemas/ids/${id}/schema`)).text).toBe(order);
    expect((await call("GET", `/schemas/ids/${id}/versions`)).json).toEqual([{ subject: "shop.order", version: 1 }]);
  });

  it("looks a schema up under a subject: 200 with its version, 40403 when not registered there, 40401 for no subject", async () => {
    const found = await call("POST", "/subjects/shop.money", pb(money));
    expect(found.json).toMatchObject({ subject: "shop.money", version: 1, schemaType: "PROTOBUF", schema: money });
    // Whitespace and comments do not change a schema's identity.
    expect((await call("POST", "/subjects/shop.money", pb(`// money\n${money.replace("{ int64", "{\n  int64")}`))).json).toMatchObject({ version: 1 });
    expect((await call("POST", "/subjects/shop.money", pb(money.replace("currency", "code")))).json).toMatchObject({ error_code: 40403 });
    expect((await call("POST", "/subjects/no.such", pb(money))).json).toMatchObject({ error_code: 40401 });
  });

  it("reads and sets the global and per-subject compatibility", async () => {
    expect((await call("GET", "/config")).json).toEqual({ compatibilityLevel: "BACKWARD" });
    expect((await call("GET", "/config/shop.money")).json).toMatchObject({ error_code: 40408 });
    expect((await call("GET", "/config/shop.money?defaultToGlobal=true")).json).toEqual({ compatibilityLevel: "BACKWARD" });
    expect((await call("PUT", "/config/shop.money", { compatibility: "full_transitive" })).json).toEqual({ compatibility: "FULL_TRANSITIVE" });
    expect((await call("GET", "/config/shop.money")).json).toEqual({ compatibilityLevel: "FULL_TRANSITIVE" });
    expect((await call("PUT", "/config", { compatibility: "FORWARD" })).json).toEqual({ compatibility: "FORWARD" });
    expect((await call("GET", "/config")).json).toEqual({ compatibilityLevel: "FORWARD" });
    expect((await call("DELETE", "/config/shop.money")).json).toEqual({ compatibilityLevel: "FULL_TRANSITIVE" });
    expect((await call("GET", "/config/shop.money")).json).toMatchObject({ error_code: 40408 });
    await call("PUT", "/config", { compatibility: "BACKWARD" });
    const audit = await t.client.listAuditEntries({ subject: "shop.money" });
    // The audit log names the authenticated key, never the caller-supplied x-trackway-actor.
    expect(audit.entries.find((e) => e.action === "SET_COMPATIBILITY")).toMatchObject({ actor: t.admin.actor });
  });

  it("tests compatibility against one version or the mode's versions, verbose with reasons", async () => {
    const changed = money.replace("int64 units", "string units");
    expect((await call("POST", "/compatibility/subjects/shop.money/versions/latest", pb(changed))).json).toEqual({ is_compatible: false });
    const verbose = (await call("POST", "/compatibility/subjects/shop.money/versions/1?verbose=true", pb(changed))).json as { is_compatible: boolean; messages: string[] };
    expect(verbose.is_compatible).toBe(false);
    expect(verbose.messages.join()).toContain("FIELD_WIRE_JSON_COMPATIBLE_TYPE");
    expect((await call("POST", "/compatibility/subjects/shop.money/versions", pb(money))).json).toEqual({ is_compatible: true });
    // Nothing to compare with: compatible (Confluent); a named version that does not exist: 40402.
    expect((await call("POST", "/compatibility/subjects/brand.new/versions/latest", pb(money))).json).toEqual({ is_compatible: true });
    expect((await call("POST", "/compatibility/subjects/shop.money/versions/7", pb(money))).json).toMatchObject({ error_code: 40402 });
    // An invalid schema: 42201, or with verbose an incompatible verdict with the reason.
    expect((await call("POST", "/compatibility/subjects/shop.money/versions/latest", pb("syntax = \"proto3\"; message {"))).json).toMatchObject({ error_code: 42201 });
    const bad = (await call("POST", "/compatibility/subjects/shop.money/versions/latest?verbose=true", pb("syntax = \"proto3\"; message {"))).json as { is_compatible: boolean };
    expect(bad.is_compatible).toBe(false);
  });

  it("deletes versions and subjects softly, then permanently, with Confluent's rules and codes", async () => {
    const v1 = `syntax = "proto3";\npackage d;\nmessage D { string a = 1; }\n`;
    const v2 = v1.replace("string a = 1;", "string a = 1; string b = 2;");
    await call("POST", "/subjects/del.me/versions", pb(v1));
    const id2 = ((await call("POST", "/subjects/del.me/versions", pb(v2))).json as { id: number }).id;

    expect((await call("DELETE", "/subjects/del.me/versions/2?permanent=true")).json).toMatchObject({ error_code: 40407 });
    expect((await call("DELETE", "/subjects/del.me/versions/2")).json).toBe(2);
    expect((await call("GET", "/subjects/del.me/versions")).json).toEqual([1]);
    expect((await call("GET", "/subjects/del.me/versions?deleted=true")).json).toEqual([1, 2]);
    expect((await call("GET", "/subjects/del.me/versions/2")).json).toMatchObject({ error_code: 40402 });
    expect((await call("GET", "/subjects/del.me/versions/2?deleted=true")).json).toMatchObject({ version: 2, id: id2 });
    // A soft-deleted version stays resolvable by id (old data must stay decodable).
    expect((await call("GET", `/schemas/ids/${id2}`)).status).toBe(200);
    expect((await call("DELETE", "/subjects/del.me/versions/2?permanent=true")).json).toBe(2);
    expect((await call("GET", "/subjects/del.me/versions?deleted=true")).json).toEqual([1]);

    expect((await call("DELETE", "/subjects/del.me?permanent=true")).json).toMatchObject({ error_code: 40405 });
    expect((await call("DELETE", "/subjects/del.me")).json).toEqual([1]);
    expect((await call("GET", "/subjects")).json).not.toContain("del.me");
    expect((await call("GET", "/subjects?deleted=true")).json).toContain("del.me");
    expect((await call("DELETE", "/subjects/del.me")).json).toMatchObject({ error_code: 40404 });
    expect((await call("DELETE", "/subjects/del.me?permanent=true")).json).toEqual([1]);
    expect((await call("GET", "/subjects/del.me/versions")).json).toMatchObject({ error_code: 40401 });
    expect((await call("DELETE", "/subjects/del.me")).json).toMatchObject({ error_code: 40401 });
  });

  it("refuses to delete a version other schemas import (42206)", async () => {
    expect((await call("DELETE", "/subjects/shop.money/versions/1")).json).toMatchObject({ error_code: 42206 });
    expect((await call("DELETE", "/subjects/shop.money")).json).toMatchObject({ error_code: 42206 });
    expect((await call("GET", "/subjects/shop.money/versions")).json).toEqual([1]);
  });

  it("answers unknown paths and methods with Confluent-shaped 404 and 405", async () => {
    expect(await call("GET", "/nope")).toMatchObject({ status: 404, json: { error_code: 404 } });
    expect(await call("PATCH", "/subjects")).toMatchObject({ status: 405, json: { error_code: 405 } });
  });
});
