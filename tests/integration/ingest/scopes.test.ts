import { status } from "@grpc/grpc-js";
import type { RunningIngest } from "@trackway/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestWorldWithIngest, outcomeOf, type IngestWorld } from "../../support/index.js";

let w: IngestWorld;
let ingest: RunningIngest;
beforeAll(async () => {
  ({ w, ingest } = await ingestWorldWithIngest({ TRACKWAY_INGEST_KEY_CACHE_TTL: 200 }));
});
afterAll(() => w?.stop());

const outcome = (key: string, id: string) => outcomeOf(w.sendOrder(ingest.address, key, id));
const cli = (...args: string[]) => w.keysCli(...args);

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
