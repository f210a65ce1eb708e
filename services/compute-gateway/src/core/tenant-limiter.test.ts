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

describe("TenantLimiter's fair share", () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it("preempts a tenant's newest statements above its share when another tenant starts one", () => {
    const c = clock();
    const l = new TenantLimiter(2, { sharedMax: 1, windowMs: 10_000, now: c.now });
    const a1 = l.tryAcquire("a")!;
    const a2 = l.tryAcquire("a")!;
    expect([a1.preempted.aborted, a2.preempted.aborted]).toEqual([false, false]);
    const b1 = l.tryAcquire("b")!;
    expect([a1.preempted.aborted, a2.preempted.aborted, b1.preempted.aborted]).toEqual([false, true, false]);
    expect(l.preemptions).toBe(1);
    a2();
    // While b is active, a gets one statement at a time.
    expect(l.tryAcquire("a")).toBeUndefined();
    b1();
    c.advance(9_000);
    expect(l.tryAcquire("a")).toBeUndefined();
    c.advance(2_000);
    // b has been quiet longer than the window: a may use its full cap again.
    expect(l.tryAcquire("a")).toBeDefined();
    a1();
  });

  it("changes nothing without a smaller share", () => {
    const l = new TenantLimiter(2);
    const a = [l.tryAcquire("a")!, l.tryAcquire("a")!];
    l.tryAcquire("b");
    expect(a.map((t) => t.preempted.aborted)).toEqual([false, false]);
    expect(l.tryAcquire("a")).toBeUndefined();
  });
});
