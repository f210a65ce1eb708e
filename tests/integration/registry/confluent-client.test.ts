import { fromBinary } from "@bufbuild/protobuf";
import { SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";
import { loadSchema } from "@trackway/registry-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRegistry, type TestRegistry } from "../../support/index.js";

let t: TestRegistry;
// A shop team's key, sent as HTTP Basic key-id:secret: how Confluent clients send basic.auth.user.info.
let auth: { username: string; password: string };
let headers: { authorization: string };
beforeAll(async () => {
  t = await startTestRegistry();
  const shop = await t.key("shop", ["schemas:read", "schemas:write"]);
  auth = { username: shop.keyId, password: shop.key };
  headers = { authorization: `Basic ${Buffer.from(`${shop.keyId}:${shop.key}`).toString("base64")}` };
});
afterAll(() => t?.stop());

const subject = "shop.order_completed";
const v1 = `syntax = "proto3";
package shop.v1;

// First top-level message: what Confluent's serializers use when no message is named.
message OrderCompleted {
  string order_id = 1;
  int64 total_cents = 2;
  repeated string skus = 3;
  Address ship_to = 4;
}

message Address {
  string city = 1;
  string country = 2;
}
`;
// Adds a field: BACKWARD-compatible (the client's default mode).
const v2 = v1.replace("Address ship_to = 4;", "Address ship_to = 4;\n  string coupon = 5;");
// Changes a field's type: not compatible.
const broken = v1.replace("int64 total_cents = 2;", "string total_cents = 2;");

describe("the unmodified @kafkajs/confluent-schema-registry client", () => {
  it("registers a PROTOBUF schema, gets its id, encodes and decodes a message", async () => {
    const client = new SchemaRegistry({ host: t.rest, auth });
    const { id } = await client.register({ type: SchemaType.PROTOBUF, schema: v1 }, { subject });
    expect(id).toBeGreaterThan(0);
    // The client set the subject's mode to its default on first registration, through PUT /config/{subject}.
    expect(await (await fetch(`${t.rest}/config/${subject}`, { headers })).json()).toEqual({ compatibilityLevel: "BACKWARD" });

    const payload = { orderId: "o-17", totalCents: 4599, skus: ["sku-1", "sku-2"], shipTo: { city: "Lyon", country: "FR" } };
    const encoded = await client.encode(id, payload);
    expect(encoded.readUInt8(0)).toBe(0);
    expect(encoded.readInt32BE(1)).toBe(id);

    // A fresh client has no cache: decoding fetches the schema by id (GET /schemas/ids/{id}) from our registry.
    const decoded = (await new SchemaRegistry({ host: t.rest, auth }).decode(encoded)) as { toJSON(): unknown };
    expect(decoded.toJSON()).toEqual({ orderId: "o-17", totalCents: "4599", skus: ["sku-1", "sku-2"], shipTo: { city: "Lyon", country: "FR" } });

    // The same bytes decode with the descriptor the registry compiled (what ingest uses): both sides agree.
    const version = (await t.client.getSchema({ schemaId: id })).schema!;
    expect(version.messageName).toBe("shop.v1.OrderCompleted");
    const { message } = loadSchema(version.descriptorSet, version.messageName);
    const ours = fromBinary(message, encoded.subarray(5)) as unknown as Record<string, unknown>;
    expect(ours).toMatchObject({ orderId: "o-17", totalCents: 4599n, skus: ["sku-1", "sku-2"] });

    // Lookups by schema and by subject give the same id.
    expect(await client.getRegistryIdBySchema(subject, { type: SchemaType.PROTOBUF, schema: v1 })).toBe(id);
    expect(await client.getLatestSchemaId(subject)).toBe(id);
  });

  it("registers a compatible change as a new version with a new id, and the same schema again under the old id", async () => {
    const client = new SchemaRegistry({ host: t.rest, auth });
    const first = await client.getLatestSchemaId(subject);
    const { id } = await client.register({ type: SchemaType.PROTOBUF, schema: v2 }, { subject });
    expect(id).not.toBe(first);
    expect(await client.getLatestSchemaId(subject)).toBe(id);
    expect((await client.register({ type: SchemaType.PROTOBUF, schema: v1 }, { subject })).id).toBe(first);
    // The same schema under another subject shares the global id, as in Confluent.
    expect((await client.register({ type: SchemaType.PROTOBUF, schema: v1 }, { subject: "shop.order_completed.copy" })).id).toBe(first);
  });

  it("is refused an incompatible change with HTTP 409, and nothing is registered", async () => {
    const client = new SchemaRegistry({ host: t.rest, auth });
    const before = await (await fetch(`${t.rest}/subjects/${subject}/versions`, { headers })).json();
    const err = await client.register({ type: SchemaType.PROTOBUF, schema: broken }, { subject }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 409 });
    expect(await (await fetch(`${t.rest}/subjects/${subject}/versions`, { headers })).json()).toEqual(before);
  });
});
