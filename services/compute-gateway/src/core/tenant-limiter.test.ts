import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { QueueRefusal, TenantLimiter } from "./tenant-limiter.js";

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

describe("TenantLimiter's wait queue", () => {
  // Fake timers: the waits are driven by the test, not by the clock.
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());
  const q = { maxWaitMs: 10_000, maxWaiting: 4 };
  const settled = async <T>(p: Promise<T>) => {
    let out: { ok: T } | { err: unknown } | undefined;
    p.then((ok) => (out = { ok }), (err: unknown) => (out = { err }));
    await vi.advanceTimersByTimeAsync(0);
    return () => out;
  };

  it("gives a waiting statement the slot its tenant's statement frees, oldest first", async () => {
    const l = new TenantLimiter(1);
    const first = await l.acquire("a", q);
    const second = await settled(l.acquire("a", q));
    const third = await settled(l.acquire("a", q));
    expect([second(), third(), l.waitingOf("a")]).toEqual([undefined, undefined, 2]);
    first();
    await vi.advanceTimersByTimeAsync(0);
    expect(second()).toHaveProperty("ok");
    expect(third()).toBeUndefined();
  });

  it("gives a statement held back by the fair share its slot once the other tenant's window ends", async () => {
    const l = new TenantLimiter(2, { sharedMax: 1, windowMs: 10_000 });
    const b = await l.acquire("b", q);
    const a1 = await l.acquire("a", q);
    const a2 = await settled(l.acquire("a", { ...q, maxWaitMs: 30_000 }));
    b();
    await vi.advanceTimersByTimeAsync(9_000);
    expect(a2()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(a2()).toHaveProperty("ok");
    a1();
  });

  it("refuses after the longest wait, and at once when too many wait, saying whether the fair share applied", async () => {
    const l = new TenantLimiter(2, { sharedMax: 1, windowMs: 60_000 });
    await l.acquire("b", q);
    await l.acquire("a", q);
    const waits = await Promise.all(Array.from({ length: 4 }, () => settled(l.acquire("a", q))));
    await expect(l.acquire("a", q)).rejects.toMatchObject({ why: "full", cap: 1, shared: true });
    await vi.advanceTimersByTimeAsync(10_000);
    for (const w of waits) expect(w()).toEqual({ err: expect.any(QueueRefusal) });
    expect((waits[0]!() as { err: QueueRefusal }).err).toMatchObject({ why: "timeout", waitedMs: 10_000 });
    expect(l.waitingOf("a")).toBe(0);
  });

  it("takes a cancelled statement out of the queue, so the next one gets the slot", async () => {
    const l = new TenantLimiter(1);
    const first = await l.acquire("a", q);
    const abort = new AbortController();
    const cancelled = await settled(l.acquire("a", { ...q, signal: abort.signal }));
    const next = await settled(l.acquire("a", q));
    abort.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(cancelled()).toEqual({ err: expect.objectContaining({ why: "aborted" }) });
    expect(l.waitingOf("a")).toBe(1);
    first();
    await vi.advanceTimersByTimeAsync(0);
    expect(next()).toHaveProperty("ok");
    expect(l.runningOf("a")).toBe(1);
  });

  it("refuses at once with a zero wait, as before the queue", async () => {
    const l = new TenantLimiter(1);
    await l.acquire("a", q);
    await expect(l.acquire("a", { maxWaitMs: 0, maxWaiting: 4 })).rejects.toMatchObject({ why: "full" });
  });
});
