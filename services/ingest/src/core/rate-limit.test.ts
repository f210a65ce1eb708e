import { describe, expect, it } from "vitest";
import { KeyRateLimiter } from "./rate-limit.js";

const limits = { eventsPerSecond: 100, bytesPerSecond: 10_000 };

describe("KeyRateLimiter", () => {
  it("admits up to a second of events at once, then refuses with the wait until enough refills", () => {
    const l = new KeyRateLimiter();
    expect(l.take("k", limits, 60, 10, 0)).toEqual({ ok: true });
    expect(l.take("k", limits, 40, 10, 0)).toEqual({ ok: true });
    expect(l.take("k", limits, 50, 10, 0)).toEqual({ ok: false, limit: "events", retryAfterMs: 500 });
    expect(l.take("k", limits, 50, 10, 500)).toEqual({ ok: true });
  });

  it("limits bytes too, and keeps keys apart", () => {
    const l = new KeyRateLimiter();
    expect(l.take("a", limits, 1, 9000, 0)).toEqual({ ok: true });
    expect(l.take("a", limits, 1, 2000, 0)).toEqual({ ok: false, limit: "bytes", retryAfterMs: 100 });
    expect(l.take("b", limits, 1, 9000, 0)).toEqual({ ok: true });
  });

  it("admits a batch bigger than a whole second when the bucket is full, and makes the next wait for the debt", () => {
    const l = new KeyRateLimiter();
    expect(l.take("k", limits, 300, 1, 0)).toEqual({ ok: true });
    expect(l.take("k", limits, 1, 1, 1000)).toEqual({ ok: false, limit: "events", retryAfterMs: 1010 });
  });

  it("does nothing when both limits are off", () => {
    const l = new KeyRateLimiter();
    for (let i = 0; i < 5; i++) expect(l.take("k", { eventsPerSecond: 0, bytesPerSecond: 0 }, 1e6, 1e9, 0)).toEqual({ ok: true });
  });
});
