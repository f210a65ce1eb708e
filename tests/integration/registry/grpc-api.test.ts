import { status } from "@grpc/grpc-js";
import { createRegistryClient, createSchemaCache } from "@trackway/registry-client";
import { Lifecycle, type WatchResponse } from "@trackway/proto/registry/v1";
import { checkHealth, listServices, reasonOf } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proto, startTestRegistry, type TestRegistry } from "../../support/index.js";

let t: TestRegistry;
beforeAll(async () => {
  t = await startTestRegistry();
});
afterAll(() => t?.stop());

const src = (fields: string) => proto(`message Viewed { ${fields} }`, "app.v1");

/** Collects Watch messages until `n` arrived (or the timeout). */
async function collect(after: number, n: number, timeoutMs = 5000): Promise<WatchResponse[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const out: WatchResponse[] = [];
  try {
    for await (const m of t.client.watch({ afterSequence: after }, { signal: abort.signal })) {
      out.push(m);
      if (out.length >= n) break;
    }
  } catch (e) {
    if (!abort.signal.aborted) throw e;
  } finally {
    clearTimeout(timer);
  }
  return out;
}

describe("the gRPC RegistryService", () => {
  it("serves health and reflection like every Trackway service", async () => {
    expect(await checkHealth(t.registry.address, "trackway.registry.v1.RegistryService")).toBe("SERVING");
    expect(await listServices(t.registry.address)).toContain("trackway.registry.v1.RegistryService");
  });

  it("registers the envelope as its own subject at startup", async () => {
    const env = (await t.client.getSchema({ subject: "trackway.event.v1" })).schema!;
    expect(env).toMatchObject({ version: 1, messageName: "trackway.event.v1.Event", fileName: "trackway/event/v1/event.proto", author: "trackway-registry" });
    const [s] = (await t.client.listSubjects({ prefix: "trackway.event.v1" })).subjects;
    expect(s?.owners).toEqual(["trackway"]);
  });

  it("dry-runs a registration without writing, then registers; the same schema elsewhere shares the id", async () => {
    const dry = await t.client.registerSchema({ subject: "app.page_viewed", protoSource: src("string url = 1;"), dryRun: true, author: "ana" });
    expect(dry).toMatchObject({ created: true, schema: { version: 1, schemaId: 0 } });
    await expect(t.client.getSchema({ subject: "app.page_viewed" })).rejects.toMatchObject({ code: status.NOT_FOUND });
    const real = await t.client.registerSchema({ subject: "app.page_viewed", protoSource: src("string url = 1;"), author: "ana" });
    expect(real).toMatchObject({ created: true, schema: { version: 1, author: t.admin.actor, messageName: "app.v1.Viewed", lifecycle: Lifecycle.LIFECYCLE_ACTIVE } });
    expect(real.schema!.descriptorSet.length).toBeGreaterThan(0);
    const again = await t.client.registerSchema({ subject: "app.page_viewed", protoSource: src("string url = 1;") });
    expect(again).toMatchObject({ created: false, schema: { version: 1 } });
    const elsewhere = await t.client.registerSchema({ subject: "app.page_viewed.copy", protoSource: src("string url = 1;") });
    expect(elsewhere.schema?.schemaId).toBe(real.schema?.schemaId);
    expect((await t.client.getSchema({ schemaId: real.schema!.schemaId })).schema).toMatchObject({ subject: "app.page_viewed", version: 1 });
  });

  it("moves versions forward along the lifecycle only, and version 0 with prefer_active picks the newest usable one", async () => {
    const subject = "app.page_viewed";
    await t.client.registerSchema({ subject, protoSource: src("string url = 1; string title = 2;"), author: "ana" });
    await t.client.setLifecycle({ subject, version: 2, lifecycle: Lifecycle.LIFECYCLE_DEPRECATED, actor: "bob" });
    expect((await t.client.getSchema({ subject, preferActive: true })).schema?.version).toBe(1);
    expect((await t.client.getSchema({ subject })).schema?.version).toBe(2);
    await t.client.setLifecycle({ subject, version: 1, lifecycle: Lifecycle.LIFECYCLE_DISABLED, actor: "bob" });
    expect((await t.client.getSchema({ subject, preferActive: true })).schema).toMatchObject({ version: 2, lifecycle: Lifecycle.LIFECYCLE_DEPRECATED });
    const back = await t.client.setLifecycle({ subject, version: 1, lifecycle: Lifecycle.LIFECYCLE_ACTIVE, actor: "bob" }).catch((e: unknown) => e);
    expect(back).toMatchObject({ code: status.FAILED_PRECONDITION });
    expect(reasonOf(back)).toBe("LIFECYCLE_INVALID");
    const all = await t.client.setLifecycle({ subject, version: 0, lifecycle: Lifecycle.LIFECYCLE_DISABLED, actor: "bob" });
    expect(all.versions.map((v) => v.lifecycle)).toEqual([Lifecycle.LIFECYCLE_DISABLED, Lifecycle.LIFECYCLE_DISABLED]);
    expect((await t.client.getSchema({ subject, preferActive: true })).schema).toMatchObject({ version: 2, lifecycle: Lifecycle.LIFECYCLE_DISABLED });
  });

  it("keeps owners and a description per subject, and an audit log of who changed what, before and after", async () => {
    const subject = "app.page_viewed";
    const r = await t.client.updateSubject({ subject, description: "A page was shown", owners: ["team-web", "ana@example.com"], actor: "ana" });
    expect(r.subject).toMatchObject({ name: subject, description: "A page was shown", owners: ["team-web", "ana@example.com"], latestVersion: 2 });
    const keep = await t.client.updateSubject({ subject, owners: ["team-web"], actor: "ana" });
    expect(keep.subject?.description).toBe("A page was shown");
    const { entries } = await t.client.listAuditEntries({ subject });
    expect(entries.map((e) => e.action)).toEqual(["UPDATE_SUBJECT", "UPDATE_SUBJECT", "SET_LIFECYCLE", "SET_LIFECYCLE", "SET_LIFECYCLE", "REGISTER", "REGISTER"]);
    // The audit log names the authenticated key, never the request's own actor field.
    expect(entries[0]).toMatchObject({ actor: t.admin.actor, subject, version: 0 });
    expect(JSON.parse(entries[0]!.beforeJson)).toMatchObject({ owners: ["team-web", "ana@example.com"] });
    expect(JSON.parse(entries[0]!.afterJson)).toMatchObject({ owners: ["team-web"] });
    const lifecycle = entries.find((e) => e.action === "SET_LIFECYCLE" && e.version === 1)!;
    expect(lifecycle.actor).toBe(t.admin.actor);
    expect(entries.every((e, i) => i === 0 || e.id < entries[i - 1]!.id)).toBe(true);
    const paged = await t.client.listAuditEntries({ subject, limit: 2, beforeId: entries[1]!.id });
    expect(paged.entries.map((e) => e.id)).toEqual([entries[2]!.id, entries[3]!.id]);
  });

  it("streams changes with Watch: replay after a sequence, then live ones, in order", async () => {
    const { entries } = await t.client.listAuditEntries({ limit: 1 });
    const head = entries[0]!.id;
    const live = collect(head, 2);
    await new Promise((r) => setTimeout(r, 200));
    await t.client.registerSchema({ subject: "app.clicked", protoSource: src("string target = 1;") });
    await t.client.setLifecycle({ subject: "app.clicked", version: 1, lifecycle: Lifecycle.LIFECYCLE_DEPRECATED, actor: "x" });
    const got = await live;
    expect(got.map((m) => [m.subject, m.version, m.action])).toEqual([
      ["app.clicked", 1, "REGISTER"],
      ["app.clicked", 1, "SET_LIFECYCLE"],
    ]);
    expect(got[1]!.sequence).toBeGreaterThan(got[0]!.sequence);
    // Replaying from the head gives the same two changes.
    expect((await collect(head, 2)).map((m) => m.sequence)).toEqual(got.map((m) => m.sequence));
  });

  it("keeps ingest's schema cache hot: a lifecycle change reaches a cached entry through Watch", async () => {
    const client = createRegistryClient(t.registry.address, { apiKey: t.admin.key });
    const cache = createSchemaCache(client);
    try {
      await cache.ready();
      const subject = "app.scrolled";
      await t.client.registerSchema({ subject, protoSource: src("int32 depth = 1;") });
      const first = await cache.get(subject, 0);
      expect(first).toMatchObject({ version: 1, lifecycle: "ACTIVE", messageName: "app.v1.Viewed" });
      expect(first.message.fields.map((f) => f.name)).toEqual(["depth"]);
      await t.client.setLifecycle({ subject, version: 1, lifecycle: Lifecycle.LIFECYCLE_DISABLED, actor: "x" });
      const deadline = Date.now() + 5000;
      while (cache.peek(subject, 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect((await cache.get(subject, 0)).lifecycle).toBe("DISABLED");
      expect(cache.stats.watchEvents).toBeGreaterThanOrEqual(2);
      expect((await cache.getById(first.schemaId)).version).toBe(1);
    } finally {
      cache.close();
      client.close();
    }
  });
});
