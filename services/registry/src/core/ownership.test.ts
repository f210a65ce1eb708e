import type { Scope } from "@trackway/auth";
import { describe, expect, it } from "vitest";
import { decideGrant, decideWrite, grantsCovering, type Writer } from "./ownership.js";

const writer = (tenant: string, ...scopes: Scope[]): Writer => ({ tenant, keyId: `key_${tenant}`, scopes: new Set(scopes) });
const shop = writer("shop", "schemas:write");

describe("decideWrite", () => {
  it("lets the owner change its subject, without claiming it again", () => {
    expect(decideWrite(shop, { subject: "shop.a", owner: "shop", grants: [] }, "claim")).toEqual({ allowed: true, claim: false });
  });

  it("refuses another tenant with NOT_SUBJECT_OWNER", () => {
    expect(decideWrite(writer("rival", "schemas:write"), { subject: "shop.a", owner: "shop", grants: [] }, "claim")).toMatchObject({ allowed: false, reason: "NOT_SUBJECT_OWNER" });
  });

  it("refuses a key without schemas:write, even of the owning tenant", () => {
    expect(decideWrite(writer("shop", "schemas:read"), { subject: "shop.a", owner: "shop", grants: [] }, "claim")).toMatchObject({ allowed: false, reason: "SCOPE_MISSING" });
  });

  it("lets the first writer claim a subject nobody owns, unless the policy needs a grant", () => {
    expect(decideWrite(shop, { subject: "new.a", grants: [] }, "claim")).toEqual({ allowed: true, claim: true });
    expect(decideWrite(shop, { subject: "new.a", grants: [] }, "grant")).toMatchObject({ allowed: false, reason: "GRANT_REQUIRED" });
  });

  it("lets grant holders change subjects under their prefix, whoever owns them, and keeps others out of it", () => {
    const grants = grantsCovering([{ prefix: "shop.", tenant: "shop-team" }, { prefix: "ads.", tenant: "ads" }], "shop.order");
    expect(grants).toEqual([{ prefix: "shop.", tenant: "shop-team" }]);
    const team = writer("shop-team", "schemas:write");
    expect(decideWrite(team, { subject: "shop.order", owner: "shop", grants }, "claim")).toEqual({ allowed: true, claim: false });
    expect(decideWrite(team, { subject: "shop.order", grants }, "grant")).toEqual({ allowed: true, claim: true });
    expect(decideWrite(writer("rival", "schemas:write"), { subject: "shop.order", grants }, "claim")).toMatchObject({ allowed: false, reason: "SUBJECT_PREFIX_GRANTED" });
  });

  it("keeps registry-wide settings to schemas:admin, which may change any subject", () => {
    expect(decideWrite(shop, { grants: [] }, "claim")).toMatchObject({ allowed: false, reason: "SCOPE_MISSING" });
    const admin = writer("ops", "schemas:admin");
    expect(decideWrite(admin, { grants: [] }, "claim")).toEqual({ allowed: true, claim: false });
    expect(decideWrite(admin, { subject: "shop.a", owner: "shop", grants: [] }, "claim")).toEqual({ allowed: true, claim: false });
  });
});

describe("decideGrant", () => {
  const held = [{ prefix: "shop.", tenant: "shop" }];

  it("lets schemas:admin grant any prefix", () => {
    expect(decideGrant(writer("ops", "schemas:admin"), "ads.", [])).toEqual({ allowed: true, claim: false });
  });

  it("lets a holder hand on its prefix or a longer one, not a shorter or another", () => {
    expect(decideGrant(shop, "shop.", held)).toMatchObject({ allowed: true });
    expect(decideGrant(shop, "shop.cart.", held)).toMatchObject({ allowed: true });
    expect(decideGrant(shop, "shop", held)).toMatchObject({ allowed: false, reason: "GRANT_NOT_HELD" });
    expect(decideGrant(shop, "ads.", held)).toMatchObject({ allowed: false, reason: "GRANT_NOT_HELD" });
  });

  it("counts only the writer's own tenant's grants and needs schemas:write", () => {
    expect(decideGrant(writer("rival", "schemas:write"), "shop.x", held)).toMatchObject({ allowed: false, reason: "GRANT_NOT_HELD" });
    expect(decideGrant(writer("shop", "schemas:read"), "shop.x", held)).toMatchObject({ allowed: false, reason: "SCOPE_MISSING" });
  });
});
