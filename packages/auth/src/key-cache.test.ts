import { describe, expect, it } from "vitest";
import type { Principal, PrincipalLookup } from "./principal.js";
import { CachedApiKeys } from "./key-cache.js";

class Store implements PrincipalLookup {
  calls = 0;
  grants = new Map<string, Principal>();
  fail = false;
  async findByHash(hash: string) {
    this.calls += 1;
    await new Promise((r) => setTimeout(r, 5));
    if (this.fail) throw new Error("db down");
    return this.grants.get(hash);
  }
}

describe("CachedApiKeys", () => {
  it("shares one store request between concurrent lookups and remembers it until the TTL ends", async () => {
    let now = 0;
    const store = new Store();
    store.grants.set("h", { keyId: "k1", tenant: "acme", allowedEvents: undefined, scopes: new Set() });
    const cache = new CachedApiKeys(store, { ttlMs: 1000, maxEntries: 10, now: () => now });
    const [a, b] = await Promise.all([cache.findByHash("h"), cache.findByHash("h")]);
    expect(a?.tenant).toBe("acme");
    expect(b).toBe(a);
    expect(store.calls).toBe(1);
    store.grants.delete("h"); // revoked
    now = 999;
    expect(await cache.findByHash("h")).toBeDefined();
    now = 1000;
    expect(await cache.findByHash("h")).toBeUndefined();
    expect(store.calls).toBe(2);
  });

  it("remembers unknown keys too, within a bounded number of entries", async () => {
    const store = new Store();
    const cache = new CachedApiKeys(store, { ttlMs: 1000, maxEntries: 2, now: () => 0 });
    await cache.findByHash("x");
    await cache.findByHash("x");
    expect(store.calls).toBe(1);
    await cache.findByHash("y");
    await cache.findByHash("z");
    await cache.findByHash("x");
    expect(store.calls).toBe(4);
  });

  it("does not remember a failed lookup", async () => {
    const store = new Store();
    store.fail = true;
    const cache = new CachedApiKeys(store, { ttlMs: 1000, maxEntries: 10, now: () => 0 });
    await expect(cache.findByHash("h")).rejects.toThrow("db down");
    store.fail = false;
    expect(await cache.findByHash("h")).toBeUndefined();
    expect(store.calls).toBe(2);
  });
  it("forgets one key on demand, so its next lookup asks the store, and keeps the others", async () => {
    const store = new Store();
    store.grants.set("a", { keyId: "ka", tenant: "acme", allowedEvents: undefined, scopes: new Set() });
    store.grants.set("b", { keyId: "kb", tenant: "acme", allowedEvents: undefined, scopes: new Set() });
    const cache = new CachedApiKeys(store, { ttlMs: 60_000, maxEntries: 10 });
    await cache.findByHash("a");
    await cache.findByHash("b");
    store.grants.delete("a"); // revoked
    cache.forget("a");
    expect(await cache.findByHash("a")).toBeUndefined();
    expect((await cache.findByHash("b"))?.keyId).toBe("kb");
    expect(store.calls).toBe(3);
  });
});
