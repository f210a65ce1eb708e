import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { create, toBinary } from "@bufbuild/protobuf";
import { status, type ServiceError } from "@grpc/grpc-js";
import { UnaryTransport } from "@trackway/client";
import type { RunningIngest } from "@trackway/ingest";
import { EventBatch } from "@trackway/proto/event/v1";
import { IngestRequest } from "@trackway/proto/ingest/v1";
import { reasonOf } from "@trackway/runtime";
import { repoRoot } from "@trackway/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestWorld, type IngestWorld } from "../../support/index.js";

const run = promisify(execFile);
let w: IngestWorld;
let ingest: RunningIngest;
beforeAll(async () => {
  w = await ingestWorld();
  ingest = await w.startIngest({ TRACKWAY_INGEST_KEY_CACHE_TTL: 200 });
});
afterAll(() => w?.stop());

function oneEvent(id: string): Uint8Array {
  const properties = Buffer.from(toBinary(w.orderV1, create(w.orderV1, { orderId: id })));
  return IngestRequest.encode({
    batch: EventBatch.fromPartial({ batchId: id, common: { eventName: "shop.order_completed", schemaVersion: 1 }, events: [{ header: { eventId: id }, properties }] }),
  }).finish();
}
const outcome = async (key: string, id: string) => {
  const e = await new UnaryTransport({ address: ingest.address, apiKey: key, compression: "none" }).send(oneEvent(id), 10_000).then(
    () => undefined,
    (x: unknown) => x as ServiceError,
  );
  return e ? [e.code, reasonOf(e)] : "accepted";
};
const cli = (...args: string[]) => run("node", ["packages/cli/bin/trackway.js", "keys", ...args, "--database-url", w.databaseUrl], { cwd: repoRoot });

describe("scopes at ingest", () => {
  it("refuse a key without events:write with PERMISSION_DENIED and SCOPE_MISSING", async () => {
    const reader = await w.keys.create({ tenant: "scoped", scopes: ["query:read"] });
    expect(reader.record.scopes).toEqual(["query:read"]);
    expect(await outcome(reader.key, "no-scope")).toEqual([status.PERMISSION_DENIED, "SCOPE_MISSING"]);
    const writer = await w.keys.create({ tenant: "scoped", scopes: ["events:write"] });
    expect(await outcome(writer.key, "with-scope")).toBe("accepted");
  });

  it("give keys created without scopes what keys always could do: send, query, read contracts", async () => {
    const { record } = await w.keys.create({ tenant: "scoped" });
    expect(record.scopes).toEqual(["events:write", "query:read", "schemas:read"]);
  });

  it("are set by trackway keys create --scope, and an unknown scope is refused before anything is stored", async () => {
    const created = JSON.parse((await cli("create", "--tenant", "scoped-cli", "--scope", "jobs:admin,query:read", "--scope", "schemas:read", "--json")).stdout) as { scopes: string[] };
    expect(created.scopes).toEqual(["query:read", "schemas:read", "jobs:admin"]);
    const bad = await cli("create", "--tenant", "scoped-cli", "--scope", "root").then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad?.code).toBe(1);
    expect(bad?.stderr).toContain('"root"');
    expect((await cli("list", "--tenant", "scoped-cli", "--json")).stdout.trim().split("\n")).toHaveLength(1);
  });
});
