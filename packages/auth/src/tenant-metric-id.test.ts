import { describe, expect, it } from "vitest";
import { tenantMetricId } from "./tenant-metric-id.js";

describe("tenantMetricId", () => {
  it("is stable, opaque, distinct per tenant and changes with the secret", () => {
    const id = tenantMetricId("acme");
    expect(id).toMatch(/^t_[0-9a-f]{12}$/);
    expect(id).not.toContain("acme");
    expect(tenantMetricId("acme")).toBe(id);
    expect(tenantMetricId("acme2")).not.toBe(id);
    expect(tenantMetricId("acme", "s3cret")).not.toBe(id);
    expect(tenantMetricId("acme", "s3cret")).toBe(tenantMetricId("acme", "s3cret"));
  });
});
