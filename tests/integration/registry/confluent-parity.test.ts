import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRegistry, type TestRegistry } from "../../support/index.js";

// What Confluent's serializers rely on beyond plain REST calls: descriptors in base64, subjects named by file path,
// referencedby, modes, normalize, and the error codes of Confluent's resources.
let t: TestRegistry;
beforeAll(async () => {
  t = await startTestRegistry();
});
afterAll(() => t?.stop());

const call = (method: string, path: string, body?: unknown) => t.restCall<Record<string, unknown> & unknown[]>(method, path, body);
const pb = (schema: string, extra: Record<string, unknown> = {}) => ({ schemaType: "PROTOBUF", schema, ...extra });
const path = (subject: string) => encodeURIComponent(subject);
const code = (r: { json: Record<string, unknown> }) => r.json.error_code;

const money = `syntax = "proto3";\npackage acme.common.v1;\nmessage Money {\n  int64 units = 1;\n  string currency = 2;\n}\n`;
const order = (imports: string[]) => `syntax = "proto3";
package acme.shop.v1;
${imports.map((i) => `import "${i}";`).join("\n")}
message Order {
  string id = 1;
  acme.common.v1.Money total = 2;
  google.protobuf.Timestamp at = 3;
}
`;

describe("Confluent parity of the REST API", () => {
  it("takes subjects named by file path, as the serializers name referenced files, and answers referencedby", async () => {
    const m = await call("POST", `/subjects/${path("acme/common/money.proto")}/versions`, pb(money));
    expect(m.status).toBe(200);
    const refs = [
      { name: "acme/common/money.proto", subject: "acme/common/money.proto", version: 1 },
      { name: "google/protobuf/timestamp.proto", subject: "google/protobuf/timestamp.proto", version: 1 },
    ];
    // The well-known file registered as a subject of its own, as the Go serializer does.
    const wkt = `syntax = "proto3";\npackage google.protobuf;\nmessage Timestamp {\n  int64 seconds = 1;\n  int32 nanos = 2;\n}\n`;
    expect((await call("POST", `/subjects/${path("google/protobuf/timestamp.proto")}/versions`, pb(wkt))).status).toBe(200);
    const o = await call("POST", "/subjects/acme.order-value/versions", pb(order(["acme/common/money.proto", "google/protobuf/timestamp.proto"]), { references: refs }));
    expect(o.status).toBe(200);
    expect((await call("GET", `/subjects/${path("acme/common/money.proto")}/versions/1/referencedby`)).json).toEqual([o.json.id]);
    expect((await call("GET", "/subjects")).json).toEqual(expect.arrayContaining(["acme/common/money.proto", "google/protobuf/timestamp.proto"]));
    expect(code(await call("GET", `/subjects/${path("acme/none.proto")}/versions/1/referencedby`))).toBe(40401);
    expect(code(await call("GET", `/subjects/${path("acme/common/money.proto")}/versions/9/referencedby`))).toBe(40402);
  });

  it("serves format=serialized as a base64 FileDescriptorProto, by version and by id", async () => {
    const latest = await call("GET", "/subjects/acme.order-value/versions/latest?format=serialized");
    const file = fromBinary(FileDescriptorProtoSchema, Buffer.from(latest.json.schema as string, "base64"));
    expect(file.package).toBe("acme.shop.v1");
    expect(file.dependency).toEqual(["acme/common/money.proto", "google/protobuf/timestamp.proto"]);
    expect(file.messageType[0]!.field.map((f) => f.name)).toEqual(["id", "total", "at"]);
    const byId = await call("GET", `/schemas/ids/${latest.json.id}?format=serialized`);
    expect(byId.json.schema).toBe(latest.json.schema);
    expect(byId.json.references).toHaveLength(2);
    // Without the format (or with an unknown one, as Confluent) the text comes back.
    expect((await call("GET", `/schemas/ids/${latest.json.id}`)).json.schema).toContain("message Order");
    expect((await call("GET", `/schemas/ids/${latest.json.id}?format=nonsense`)).json.schema).toContain("message Order");
  });

  it("registers a base64 FileDescriptorProto as the schema it describes, and looks it up by the same", async () => {
    const serialized = (await call("GET", "/subjects/acme.order-value/versions/1?format=serialized")).json.schema as string;
    const refs = (await call("GET", "/subjects/acme.order-value/versions/1")).json.references;
    // The same schema under another subject: same global id, text stored.
    const again = await call("POST", "/subjects/acme.order-copy/versions", pb(serialized, { references: refs }));
    const first = (await call("GET", "/subjects/acme.order-value/versions/1")).json;
    expect(again.json.id).toBe(first.id);
    const stored = await call("GET", "/subjects/acme.order-copy/versions/1");
    expect(stored.json.schema).toContain("message Order {");
    const lookup = await call("POST", "/subjects/acme.order-copy", pb(serialized, { references: refs }));
    expect(lookup.json).toMatchObject({ subject: "acme.order-copy", version: 1, id: first.id });
    // A descriptor of a new file is compiled like text: a field type change is still caught.
    const file = fromBinary(FileDescriptorProtoSchema, Buffer.from(serialized, "base64"));
    file.messageType[0]!.field[0]!.type = 3; // string → int64
    const broken = Buffer.from(toBinary(FileDescriptorProtoSchema, file)).toString("base64");
    const refused = await call("POST", "/subjects/acme.order-copy/versions", pb(broken, { references: refs }));
    expect([refused.status, code(refused)]).toEqual([409, 40901]);
  });

  it("with normalize=true ignores the order of imports, as Confluent's normalization does", async () => {
    const refs = [
      { name: "acme/common/money.proto", subject: "acme/common/money.proto", version: 1 },
      { name: "google/protobuf/timestamp.proto", subject: "google/protobuf/timestamp.proto", version: 1 },
    ];
    const a = await call("POST", "/subjects/acme.norm/versions?normalize=true", pb(order(["acme/common/money.proto", "google/protobuf/timestamp.proto"]), { references: refs }));
    const b = await call("POST", "/subjects/acme.norm/versions?normalize=true", pb(order(["google/protobuf/timestamp.proto", "acme/common/money.proto"]), { references: refs }));
    expect(b.json.id).toBe(a.json.id);
    expect((await call("GET", "/subjects/acme.norm/versions")).json).toEqual([1]);
    const lookup = await call("POST", "/subjects/acme.norm?normalize=true", pb(order(["google/protobuf/timestamp.proto", "acme/common/money.proto"]), { references: refs }));
    expect(lookup.json.version).toBe(1);
    // Without normalize, another import order is another schema.
    const c = await call("POST", "/subjects/acme.norm/versions", pb(order(["google/protobuf/timestamp.proto", "acme/common/money.proto"]), { references: refs }));
    expect(c.json.id).not.toBe(a.json.id);
  });

  it("answers 40406 when a soft-deleted version is deleted again", async () => {
    await call("POST", "/subjects/acme.del/versions", pb(money));
    await call("POST", "/subjects/acme.del/versions", pb(money.replace("string currency = 2;", "string currency = 2;\n  string note = 3;")));
    expect((await call("DELETE", "/subjects/acme.del/versions/1")).json).toBe(1);
    expect(code(await call("DELETE", "/subjects/acme.del/versions/1"))).toBe(40406);
    expect(code(await call("DELETE", "/subjects/acme.del/versions/7"))).toBe(40402);
    expect((await call("DELETE", "/subjects/acme.del/versions/1?permanent=true")).json).toBe(1);
  });

  it("keeps Confluent's modes globally and per subject", async () => {
    expect((await call("GET", "/mode")).json).toEqual({ mode: "READWRITE" });
    expect(code(await call("GET", "/mode/acme.mode"))).toBe(40409);
    expect((await call("GET", "/mode/acme.mode?defaultToGlobal=true")).json).toEqual({ mode: "READWRITE" });
    expect(code(await call("PUT", "/mode/acme.mode", { mode: "SOMETIMES" }))).toBe(42204);

    expect((await call("PUT", "/mode/acme.mode", { mode: "READONLY" })).json).toEqual({ mode: "READONLY" });
    expect((await call("GET", "/mode/acme.mode")).json).toEqual({ mode: "READONLY" });
    expect(code(await call("POST", "/subjects/acme.mode/versions", pb(money)))).toBe(42205);
    expect(code(await call("PUT", "/config/acme.mode", { compatibility: "NONE" }))).toBe(42205);
    expect((await call("DELETE", "/mode/acme.mode")).json).toEqual({ mode: "READONLY" });
    expect(code(await call("DELETE", "/mode/acme.mode"))).toBe(40401);
    expect((await call("POST", "/subjects/acme.mode/versions", pb(money))).status).toBe(200);

    // A read-only subject refuses deletes too; the global mode applies to subjects without their own.
    expect((await call("PUT", "/mode", { mode: "READONLY" })).json).toEqual({ mode: "READONLY" });
    expect((await call("GET", "/mode/acme.mode?defaultToGlobal=true")).json).toEqual({ mode: "READONLY" });
    expect(code(await call("DELETE", "/subjects/acme.mode/versions/1"))).toBe(42205);
    expect(code(await call("POST", "/subjects/acme.other/versions", pb(money)))).toBe(42205);
    expect((await call("PUT", "/mode/acme.other", { mode: "READWRITE" })).status).toBe(200);
    expect((await call("POST", "/subjects/acme.other/versions", pb(money))).status).toBe(200);
    expect((await call("DELETE", "/mode")).json).toEqual({ mode: "READONLY" });
    expect((await call("GET", "/mode")).json).toEqual({ mode: "READWRITE" });
  });

  it("imports schemas with their ids and versions in IMPORT mode only", async () => {
    // A subject with live versions needs force to switch to IMPORT.
    expect(code(await call("PUT", "/mode/acme.mode", { mode: "IMPORT" }))).toBe(42205);
    expect((await call("PUT", "/mode/acme.imported", { mode: "IMPORT" })).json).toEqual({ mode: "IMPORT" });
    expect(code(await call("POST", "/subjects/acme.imported/versions", pb(money.replace("Money", "Cash"))))).toBe(42205);
    const imported = await call("POST", "/subjects/acme.imported/versions", pb(money.replace("Money", "Cash"), { id: 777, version: 5 }));
    expect(imported.json).toEqual({ id: 777 });
    expect((await call("GET", "/subjects/acme.imported/versions/5")).json).toMatchObject({ id: 777, version: 5 });
    // An id taken by another schema is not overwritten.
    expect(code(await call("POST", "/subjects/acme.imported/versions", pb(money.replace("Money", "Coin"), { id: 777, version: 6 })))).toBe(42205);
    // Outside IMPORT an id is refused; new schemas then get ids past the imported one.
    expect(code(await call("POST", "/subjects/acme.mode/versions", pb(money, { id: 900 })))).toBe(42205);
    expect((await call("DELETE", "/mode/acme.imported")).json).toEqual({ mode: "IMPORT" });
    const next = await call("POST", "/subjects/acme.imported/versions", pb(money.replace("Money", "Cash").replace("string currency = 2;", "string currency = 2;\n  int32 scale = 3;")));
    expect(next.json.id).toBeGreaterThan(777);
    expect((await call("GET", "/subjects/acme.imported/versions")).json).toEqual([5, 6]);
  });
});
