import { credentials, Metadata, status, type ServiceError } from "@grpc/grpc-js";
import type { RunningIngest } from "@trackway/ingest";
import { IngestServiceClient } from "@trackway/proto/ingest/v1";
import type { DeleteUserResponse, ListDeletionRequestsResponse } from "@trackway/proto/privacy/v1";
import { reasonOf } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestWorld, type IngestWorld } from "../../support/index.js";

let w: IngestWorld;
let ingest: RunningIngest;
let client: IngestServiceClient;
let adminKey: string;

const md = (key: string) => {
  const m = new Metadata();
  m.set("x-api-key", key);
  return m;
};
const del = (key: string, userId: string, more: { anonymousIds?: string[]; deviceIds?: string[] } = {}) =>
  new Promise<DeleteUserResponse>((resolve, reject) =>
    client.deleteUser({ userId, anonymousIds: more.anonymousIds ?? [], deviceIds: more.deviceIds ?? [] }, md(key), (e, r) => (e ? reject(e) : resolve(r!))),
  );
const list = (key: string) =>
  new Promise<ListDeletionRequestsResponse>((resolve, reject) => client.listDeletionRequests({}, md(key), (e, r) => (e ? reject(e) : resolve(r!))));

beforeAll(async () => {
  w = await ingestWorld();
  ingest = await w.startIngest();
  adminKey = (await w.keys.create({ tenant: "acme", name: "privacy-it", scopes: ["users:delete"] })).key;
  client = new IngestServiceClient(ingest.address, credentials.createInsecure());
}, 120_000);
afterAll(async () => {
  client?.close();
  await w?.stop();
});

describe("IngestService DeleteUser / ListDeletionRequests (users:delete)", () => {
  it("refuses a key without the users:delete scope", async () => {
    const e = (await del(w.apiKey, "u-1").catch((x: unknown) => x)) as ServiceError;
    expect([e.code, reasonOf(e)]).toEqual([status.PERMISSION_DENIED, "SCOPE_MISSING"]);
  });

  it("records a request once per open user and lists the tenant's requests", async () => {
    const first = await del(adminKey, "u-rpc");
    expect(first).toMatchObject({ created: true, request: { userId: "u-rpc", status: "pending", step: "" } });
    expect(first.request!.requestedBy).toMatch(/^key:/);
    const again = await del(adminKey, "u-rpc");
    expect(again).toMatchObject({ created: false, request: { id: first.request!.id } });
    expect((await list(adminKey)).requests.map((r) => [r.userId, r.status])).toEqual([["u-rpc", "pending"]]);
  });

  it("refuses an empty user id with USER_ID_INVALID", async () => {
    const e = (await del(adminKey, "  ").catch((x: unknown) => x)) as ServiceError;
    expect([e.code, reasonOf(e)]).toEqual([status.INVALID_ARGUMENT, "USER_ID_INVALID"]);
    const blankAnon = (await del(adminKey, "", { anonymousIds: ["a-1", " "] }).catch((x: unknown) => x)) as ServiceError;
    expect([blankAnon.code, reasonOf(blankAnon)]).toEqual([status.INVALID_ARGUMENT, "USER_ID_INVALID"]);
  });

  it("records a request by anonymous and device ids alone, once for the same set of ids", async () => {
    const r = await del(adminKey, "", { anonymousIds: ["anon-2", "anon-1"], deviceIds: ["dev-1"] });
    expect(r).toMatchObject({ created: true, request: { userId: "", anonymousIds: ["anon-1", "anon-2"], deviceIds: ["dev-1"], status: "pending", error: "" } });
    expect((await del(adminKey, "", { anonymousIds: ["anon-1", "anon-2"], deviceIds: ["dev-1"] })).created).toBe(false);
    expect((await list(adminKey)).requests.map((x) => x.id)).toContain(r.request!.id);
  });
});
