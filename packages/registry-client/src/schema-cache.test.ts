import { Metadata, status, type ServiceError } from "@grpc/grpc-js";
import { trackwayFiles } from "@trackway/envelope";
import { fileDescriptorSetBytes } from "@trackway/runtime";
import { EnforcementMode, Lifecycle, type GetSchemaRequest, type SchemaVersion, type WatchResponse } from "@trackway/proto/registry/v1";
import { describe, expect, it } from "vitest";
import type { RegistryClient } from "./client.js";
import { createSchemaCache } from "./schema-cache.js";

const descriptorSet = Buffer.from(fileDescriptorSetBytes(trackwayFiles));

const version = (subject: string, v: number, lifecycle = Lifecycle.LIFECYCLE_ACTIVE): SchemaVersion => ({
  subject,
  version: v,
  schemaId: 100 + v,
  protoSource: "",
  messageName: "trackway.event.v1.Event",
  descriptorSet,
  references: [],
  lifecycle,
  author: "t",
  createdAt: new Date(),
  fileName: "trackway/event/v1/event.proto",
  enforcement: EnforcementMode.ENFORCEMENT_MODE_WARN,
});

const notFound = (): ServiceError => Object.assign(new Error("5 NOT_FOUND"), { code: status.NOT_FOUND, details: "nope", metadata: new Metadata() });

/** A registry client fake: getSchema answers from `answer` and counts calls; watch yields what `emit` pushes. */
function fakeClient(answer: (req: Partial<GetSchemaRequest>) => Promise<SchemaVersion>) {
  const calls: Partial<GetSchemaRequest>[] = [];
  let push: ((m: WatchResponse) => void) | undefined;
  const queue: WatchResponse[] = [{ sequence: 7, subject: "", version: 0, action: "HEAD" }];
  const client = {
    address: "fake",
    getSchema: async (req: Partial<GetSchemaRequest>) => {
      calls.push(req);
      return { schema: await answer(req) };
    },
    watch: async function* (_req: unknown, signal?: AbortSignal) {
      while (!signal?.aborted) {
        const next = queue.shift();
        if (next) yield next;
        else await new Promise<void>((r) => (push = (m) => (queue.push(m), r())));
      }
    },
    close: () => {},
  } as unknown as RegistryClient;
  return { client, calls, emit: (m: WatchResponse) => (push ? push(m) : queue.push(m)) };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("createSchemaCache", () => {
  it("shares one registry request between concurrent misses and serves later gets from memory", async () => {
    const { client, calls } = fakeClient(async (req) => version(req.subject!, req.version!));
    const cache = createSchemaCache(client);
    const got = await Promise.all([cache.get("shop.order", 2), cache.get("shop.order", 2), cache.get("shop.order", 2)]);
    await cache.get("shop.order", 2);
    expect(calls).toHaveLength(1);
    expect(got[0]!.message.typeName).toBe("trackway.event.v1.Event");
    expect(got[0]).toBe(got[2]);
    expect(cache.peek("shop.order", 2)?.schemaId).toBe(102);
    cache.close();
  });

  it("asks for the newest usable version when the event names version 0", async () => {
    const { client, calls } = fakeClient(async (req) => version(req.subject!, 3, Lifecycle.LIFECYCLE_DEPRECATED));
    const cache = createSchemaCache(client);
    expect((await cache.get("shop.order", 0)).lifecycle).toBe("DEPRECATED");
    expect(calls[0]).toMatchObject({ subject: "shop.order", version: 0, preferActive: true });
    cache.close();
  });

  it("drops a subject's entries when the watch stream reports a change to it", async () => {
    let lifecycle = Lifecycle.LIFECYCLE_ACTIVE;
    const { client, calls, emit } = fakeClient(async (req) => version(req.subject!, req.version || 1, lifecycle));
    const cache = createSchemaCache(client);
    await cache.ready();
    expect((await cache.get("shop.order", 1)).lifecycle).toBe("ACTIVE");
    await cache.get("shop.other", 1);
    lifecycle = Lifecycle.LIFECYCLE_DISABLED;
    emit({ sequence: 8, subject: "shop.order", version: 1, action: "SET_LIFECYCLE" });
    await tick();
    expect(cache.peek("shop.order", 1)).toBeUndefined();
    expect(cache.peek("shop.other", 1)).toBeDefined();
    expect((await cache.get("shop.order", 1)).lifecycle).toBe("DISABLED");
    expect(calls).toHaveLength(3);
    cache.close();
  });

  it("does not store an answer fetched before an invalidation that arrived while it was in flight", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { client, emit } = fakeClient(async (req) => {
      await gate;
      return version(req.subject!, 1);
    });
    const cache = createSchemaCache(client);
    await cache.ready();
    const pending = cache.get("shop.order", 1);
    emit({ sequence: 8, subject: "shop.order", version: 1, action: "REGISTER" });
    await tick();
    release();
    await pending;
    expect(cache.peek("shop.order", 1)).toBeUndefined();
    cache.close();
  });

  it("remembers NOT_FOUND for a short while so unknown event names do not hammer the registry", async () => {
    const { client, calls } = fakeClient(async () => {
      throw notFound();
    });
    const cache = createSchemaCache(client, { negativeTtlMs: 50 });
    await expect(cache.get("no.such", 1)).rejects.toMatchObject({ code: status.NOT_FOUND });
    await expect(cache.get("no.such", 1)).rejects.toMatchObject({ code: status.NOT_FOUND });
    expect(calls).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 60));
    await expect(cache.get("no.such", 1)).rejects.toMatchObject({ code: status.NOT_FOUND });
    expect(calls).toHaveLength(2);
    cache.close();
  });

  it("files an id lookup under its subject so a change to the subject drops it", async () => {
    const { client, calls, emit } = fakeClient(async () => version("shop.order", 4));
    const cache = createSchemaCache(client);
    await cache.ready();
    expect((await cache.getById(104)).version).toBe(4);
    await cache.getById(104);
    expect(calls).toHaveLength(1);
    emit({ sequence: 9, subject: "shop.order", version: 4, action: "DELETE_VERSION" });
    await tick();
    await cache.getById(104);
    expect(calls).toHaveLength(2);
    cache.close();
  });
});
