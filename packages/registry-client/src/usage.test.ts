import { describe, expect, it } from "vitest";
import { EventUse } from "@trackway/proto/registry/v1";
import { ruleFor, usageAllowed, usageSnapshotOf, type UsageSnapshot } from "./usage.js";

const snapshot = (over: Partial<UsageSnapshot> = {}): UsageSnapshot => ({
  rules: [
    { target: "shop.", isPrefix: true, use: "query", tenants: ["analysts"] },
    { target: "shop.checkout.", isPrefix: true, use: "query", tenants: ["finance"] },
    { target: "shop.checkout.paid", isPrefix: false, use: "query", tenants: ["auditors"] },
    { target: "shop.order_placed", isPrefix: false, use: "send", tenants: ["web"] },
  ],
  owners: new Map([["shop.order_placed", "shop-team"]]),
  grants: [{ prefix: "shop.", tenant: "shop-team" }],
  ...over,
});

describe("usageAllowed", () => {
  it("lets every tenant use a subject no restriction covers", () => {
    expect(usageAllowed(snapshot(), "blog.post_read", "query", "anyone")).toBe(true);
    expect(usageAllowed(snapshot(), "shop.page_viewed", "send", "anyone")).toBe(true);
  });

  it("restricts only the use named: a send restriction leaves querying open", () => {
    expect(usageAllowed(snapshot(), "shop.order_placed", "send", "mobile")).toBe(false);
    expect(usageAllowed(snapshot(), "shop.order_placed", "send", "web")).toBe(true);
    expect(usageAllowed(snapshot({ rules: snapshot().rules.filter((r) => r.use === "send") }), "shop.order_placed", "query", "mobile")).toBe(true);
  });

  it("applies the subject's own rule first, then the longest prefix", () => {
    expect(ruleFor(snapshot(), "shop.checkout.paid", "query")?.tenants).toEqual(["auditors"]);
    expect(ruleFor(snapshot(), "shop.checkout.started", "query")?.tenants).toEqual(["finance"]);
    expect(ruleFor(snapshot(), "shop.page_viewed", "query")?.tenants).toEqual(["analysts"]);
    expect(usageAllowed(snapshot(), "shop.checkout.started", "query", "analysts")).toBe(false);
    expect(usageAllowed(snapshot(), "shop.checkout.paid", "query", "finance")).toBe(false);
    expect(usageAllowed(snapshot(), "shop.checkout.paid", "query", "auditors")).toBe(true);
  });

  it("always lets the owner and the holders of covering grants use their subjects", () => {
    expect(usageAllowed(snapshot({ grants: [] }), "shop.order_placed", "send", "shop-team")).toBe(true);
    expect(usageAllowed(snapshot(), "shop.checkout.paid", "query", "shop-team")).toBe(true);
    expect(usageAllowed(snapshot({ grants: [{ prefix: "blog.", tenant: "shop-team" }], owners: new Map() }), "shop.checkout.paid", "query", "shop-team")).toBe(false);
  });

  it("with an empty tenant list, leaves the subject to its owner and grant holders alone", () => {
    const s = snapshot({ rules: [{ target: "shop.order_placed", isPrefix: false, use: "send", tenants: [] }], grants: [] });
    expect(usageAllowed(s, "shop.order_placed", "send", "web")).toBe(false);
    expect(usageAllowed(s, "shop.order_placed", "send", "shop-team")).toBe(true);
  });
});

describe("usageSnapshotOf", () => {
  const restrictions = [{ subject: "shop.order_placed", prefix: "", use: EventUse.EVENT_USE_SEND, tenants: ["web"] }];
  it("reads the whole snapshot", () => {
    expect(usageSnapshotOf({ restrictions, owners: [], grants: [], tenant: "" }).rules).toEqual([{ target: "shop.order_placed", isPrefix: false, use: "send", tenants: ["web"] }]);
  });
  it("refuses an answer limited to one tenant (a key without schemas:read-all), naming the scope to add", () => {
    expect(() => usageSnapshotOf({ restrictions, owners: [], grants: [], tenant: "trackway-services" })).toThrow(/schemas:read-all/);
  });
});
