import { describe, expect, it } from "vitest";
import { assignViewNames, typedViewName } from "./typed-view-name.js";

describe("assignViewNames", () => {
  it("keeps a view with the subject that had it first and refuses the later one that maps to the same name (finding 5)", () => {
    const first = { subject: "probe_collide.x", createdAt: new Date("2026-11-01T00:00:00Z") };
    const later = { subject: "probe.collide_x", createdAt: new Date("2026-11-02T00:00:00Z") };
    // Listed by name, the later subject comes first: order of the list must not matter.
    const { owners, collisions } = assignViewNames([later, first], typedViewName);
    expect(owners.get("dwd_probe_collide_x")?.subject).toBe("probe_collide.x");
    expect(collisions).toEqual([{ reason: "TYPED_VIEW_NAME_COLLISION", subject: "probe.collide_x", view: "dwd_probe_collide_x", heldBy: "probe_collide.x" }]);
  });

  it("gives distinct names to distinct subjects", () => {
    const { owners, collisions } = assignViewNames([{ subject: "shop.order" }, { subject: "shop.refund" }], typedViewName);
    expect([...owners.keys()].sort()).toEqual(["dwd_shop_order", "dwd_shop_refund"]);
    expect(collisions).toEqual([]);
  });
});
