import { Metadata, status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { generateApiKey, hashApiKey } from "./api-key.js";
import { authenticator, requireScope, scoped } from "./authenticate.js";
import type { Principal, PrincipalLookup } from "./principal.js";

const KEY = generateApiKey();
const ACME: Principal = { keyId: "key_1", tenant: "acme", allowedEvents: undefined, scopes: new Set(["events:write"]) };

class Keys implements PrincipalLookup {
  calls = 0;
  fail = false;
  async findByHash(hash: string) {
    this.calls += 1;
    if (this.fail) throw new Error("db down");
    return hash === hashApiKey(KEY) ? ACME : undefined;
  }
}

const call = (entries: Record<string, string>) => {
  const metadata = new Metadata();
  for (const [k, v] of Object.entries(entries)) metadata.set(k, v);
  return { metadata };
};

describe("authenticator", () => {
  it("resolves the principal of a known key sent as x-api-key or Bearer", async () => {
    const auth = authenticator(new Keys());
    expect(await auth(call({ "x-api-key": KEY }))).toBe(ACME);
    expect(await auth(call({ authorization: `Bearer ${KEY}` }))).toBe(ACME);
  });

  it("refuses a missing key with UNAUTHENTICATED and API_KEY_MISSING", async () => {
    await expect(authenticator(new Keys())(call({}))).rejects.toMatchObject({ code: status.UNAUTHENTICATED, reason: "API_KEY_MISSING" });
  });

  it("refuses a malformed key without asking the store, and an unknown key after asking", async () => {
    const keys = new Keys();
    const auth = authenticator(keys);
    await expect(auth(call({ "x-api-key": "hunter2" }))).rejects.toMatchObject({ code: status.UNAUTHENTICATED, reason: "API_KEY_INVALID" });
    expect(keys.calls).toBe(0);
    await expect(auth(call({ "x-api-key": generateApiKey() }))).rejects.toMatchObject({ code: status.UNAUTHENTICATED, reason: "API_KEY_INVALID" });
    expect(keys.calls).toBe(1);
  });

  it("reports a failing key store as UNAVAILABLE, not as a bad key", async () => {
    const keys = new Keys();
    keys.fail = true;
    await expect(authenticator(keys)(call({ "x-api-key": KEY }))).rejects.toMatchObject({ code: status.UNAVAILABLE, reason: "KEY_STORE_UNAVAILABLE" });
  });
});

describe("scopes", () => {
  it("let a key with the scope through and refuse one without it with PERMISSION_DENIED", async () => {
    expect(requireScope(ACME, "events:write")).toBe(ACME);
    expect(() => requireScope(ACME, "jobs:admin")).toThrow(expect.objectContaining({ code: status.PERMISSION_DENIED, reason: "SCOPE_MISSING" }));
    await expect(scoped(authenticator(new Keys()), "query:read")(call({ "x-api-key": KEY }))).rejects.toMatchObject({ reason: "SCOPE_MISSING" });
  });
});
