import { describe, expect, it } from "vitest";
import { TenantLimiter } from "./tenant-limiter.js";

describe("TenantLimiter", () => {
  it("caps each tenant on its own and frees a slot once, however often released", () => {
    const l = new TenantLimiter(2);
    const a1 = l.tryAcquire("a");
    const a2 = l.tryAcquire("a");
    expect(l.tryAcquire("a")).toBeUndefined();
    expect(l.tryAcquire("b")).toBeDefined();
    a1!();
    a1!();
    expect(l.runningOf("a")).toBe(1);
    expect(l.tryAcquire("a")).toBeDefined();
    expect(l.tryAcquire("a")).toBeUndefined();
    a2!();
  });
});
