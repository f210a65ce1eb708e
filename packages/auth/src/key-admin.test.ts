import { describe, expect, it } from "vitest";
import { decideKeyAdmin } from "./key-admin.js";
import type { Principal, Scope } from "./principal.js";

const p = (tenant: string, ...scopes: Scope[]): Principal => ({ keyId: `key_${tenant}`, tenant, allowedEvents: undefined, scopes: new Set(scopes) });

describe("decideKeyAdmin", () => {
  it("lets keys:operator manage any tenant's keys with any scopes", () => {
    expect(decideKeyAdmin(p("ops", "keys:operator"), "shop", ["schemas:admin", "keys:operator"])).toEqual({ allowed: true });
  });

  it("keeps keys:admin to its own tenant and to scopes it holds", () => {
    const admin = p("shop", "keys:admin", "events:write", "query:read");
    expect(decideKeyAdmin(admin, "shop", ["events:write"])).toEqual({ allowed: true });
    expect(decideKeyAdmin(admin, "rival")).toMatchObject({ allowed: false, reason: "TENANT_FORBIDDEN" });
    expect(decideKeyAdmin(admin, "shop", ["events:write", "schemas:admin"])).toMatchObject({ allowed: false, reason: "SCOPE_ESCALATION", message: expect.stringContaining("schemas:admin") });
    expect(decideKeyAdmin(admin, "shop", ["keys:operator"])).toMatchObject({ allowed: false, reason: "SCOPE_ESCALATION" });
  });

  it("refuses a key without keys:admin", () => {
    expect(decideKeyAdmin(p("shop", "events:write", "schemas:admin"), "shop")).toMatchObject({ allowed: false, reason: "SCOPE_MISSING" });
  });
});
