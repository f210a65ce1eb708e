import { describe, expect, it } from "vitest";
import { actorTenant, grantsConcerning, restrictionConcerns, usageViewFor } from "./visibility.js";

const grants = [
  { prefix: "shop.", tenant: "shop", createdBy: "ops/key_admin" },
  { prefix: "shop.cart.", tenant: "cart", createdBy: "shop/key_1" },
  { prefix: "shop.cart.x.", tenant: "other", createdBy: "cart/key_2" },
  { prefix: "bank.", tenant: "bank", createdBy: "ops/key_admin" },
];

describe("actorTenant", () => {
  it("reads the tenant of tenant/key-id, even when the tenant name holds a slash", () => {
    expect(actorTenant("shop/key_1")).toBe("shop");
    expect(actorTenant("a/b/key_1")).toBe("a/b");
    expect(actorTenant("anonymous")).toBeUndefined();
  });
});

describe("grantsConcerning", () => {
  it("keeps the grants a tenant holds, gave, or that lie under a prefix it holds; never another tenant's elsewhere", () => {
    expect(grantsConcerning(grants, "shop").map((g) => g.prefix)).toEqual(["shop.", "shop.cart.", "shop.cart.x."]);
    expect(grantsConcerning(grants, "cart").map((g) => g.prefix)).toEqual(["shop.cart.", "shop.cart.x."]);
    expect(grantsConcerning(grants, "other").map((g) => g.prefix)).toEqual(["shop.cart.x."]);
    expect(grantsConcerning(grants, "stranger")).toEqual([]);
  });
});

describe("restrictionConcerns", () => {
  const owners = new Map([["shop.order", "shop"], ["misc.a", "misc"]]);
  const held = [{ prefix: "shop.", tenant: "shop" }];
  it("is true for a subject the tenant owns or holds a grant covering, and a prefix under a grant it holds", () => {
    expect(restrictionConcerns({ target: "misc.a", isPrefix: false }, "misc", owners, [])).toBe(true);
    expect(restrictionConcerns({ target: "shop.unowned", isPrefix: false }, "shop", owners, held)).toBe(true);
    expect(restrictionConcerns({ target: "shop.cart.", isPrefix: true }, "shop", owners, held)).toBe(true);
  });
  it("is false for another tenant's subject or a prefix the tenant holds no grant over", () => {
    expect(restrictionConcerns({ target: "misc.a", isPrefix: false }, "shop", owners, held)).toBe(false);
    expect(restrictionConcerns({ target: "sho", isPrefix: true }, "shop", owners, held)).toBe(false);
    // A prefix named like a subject it owns is not that subject.
    expect(restrictionConcerns({ target: "misc.a", isPrefix: true }, "misc", owners, [])).toBe(false);
  });
});

describe("usageViewFor", () => {
  it("keeps the restrictions the tenant could change, the owners of what they cover and the grants concerning it", () => {
    const full = {
      restrictions: [
        { subject: "misc.a", prefix: "", use: 1 },
        { subject: "shop.order", prefix: "", use: 2 },
        { subject: "", prefix: "shop.cart.", use: 2 },
        { subject: "", prefix: "bank.", use: 2 },
      ],
      owners: [
        { subject: "bank.secret", tenant: "bank" },
        { subject: "misc.a", tenant: "misc" },
        { subject: "shop.cart.b", tenant: "stranger" },
        { subject: "shop.order", tenant: "shop" },
      ],
    };
    const view = usageViewFor(full, grants, "shop");
    expect(view.restrictions.map((r) => r.subject || r.prefix)).toEqual(["shop.order", "shop.cart."]);
    expect(view.owners).toEqual([
      { subject: "shop.cart.b", tenant: "stranger" },
      { subject: "shop.order", tenant: "shop" },
    ]);
    expect(view.grants.map((g) => g.prefix)).toEqual(["shop.", "shop.cart.", "shop.cart.x."]);
    expect(usageViewFor(full, grants, "misc")).toEqual({ restrictions: [full.restrictions[0]], owners: [{ subject: "misc.a", tenant: "misc" }], grants: [] });
  });
});
