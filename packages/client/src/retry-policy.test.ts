import { Metadata, status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { backoffMs, classifyFailure, retryDelayMs, toSendFailure } from "./retry-policy.js";

const o = { initialBackoffMs: 100, maxBackoffMs: 1000, maxAttempts: 5 };

describe("classifyFailure", () => {
  it("retries UNAVAILABLE, DEADLINE_EXCEEDED and RESOURCE_EXHAUSTED", () => {
    for (const code of [status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.RESOURCE_EXHAUSTED]) {
      expect(classifyFailure({ code, reason: undefined, message: "" }, 10)).toBe("retry");
    }
  });

  it("drops what would fail again", () => {
    for (const code of [status.UNAUTHENTICATED, status.INVALID_ARGUMENT, status.PERMISSION_DENIED, status.INTERNAL]) {
      expect(classifyFailure({ code, reason: "X", message: "" }, 10)).toBe("drop");
    }
  });

  it("splits a batch refused as too big, and drops a single event that is", () => {
    expect(classifyFailure({ code: status.RESOURCE_EXHAUSTED, reason: "BATCH_TOO_LARGE", message: "" }, 10)).toBe("split");
    expect(classifyFailure({ code: status.INVALID_ARGUMENT, reason: "BATCH_TOO_MANY_EVENTS", message: "" }, 2)).toBe("split");
    expect(classifyFailure({ code: status.RESOURCE_EXHAUSTED, reason: "BATCH_TOO_LARGE", message: "" }, 1)).toBe("drop");
  });
});

describe("backoffMs", () => {
  it("draws up to an exponentially growing, capped ceiling", () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, o, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffMs(3, o, () => 0)).toBe(0);
  });

  it("spreads retries of clients failing together", () => {
    const draws = new Set(Array.from({ length: 50 }, () => backoffMs(4, o)));
    expect(draws.size).toBeGreaterThan(25);
  });
});

describe("toSendFailure", () => {
  it("reads the code, the reason trailer and the details of a grpc error", () => {
    const metadata = new Metadata();
    metadata.set("trackway-reason", "KAFKA_UNAVAILABLE");
    expect(toSendFailure(Object.assign(new Error("x"), { code: status.UNAVAILABLE, details: "down", metadata }))).toEqual({
      code: status.UNAVAILABLE,
      reason: "KAFKA_UNAVAILABLE",
      message: "down",
    });
  });
});

describe("retry hints", () => {
  const o = { initialBackoffMs: 100, maxBackoffMs: 10_000, maxAttempts: 5 };

  it("reads grpc-retry-pushback-ms from a failure's trailers", () => {
    const metadata = new Metadata();
    metadata.set("trackway-reason", "RATE_LIMITED");
    metadata.set("grpc-retry-pushback-ms", "750");
    expect(toSendFailure({ code: status.RESOURCE_EXHAUSTED, details: "slow down", metadata })).toMatchObject({ reason: "RATE_LIMITED", retryAfterMs: 750 });
  });

  it("waits at least the server's hint, with a little jitter, instead of the backoff", () => {
    const f = { code: status.RESOURCE_EXHAUSTED, reason: "RATE_LIMITED", message: "", retryAfterMs: 750 };
    expect(retryDelayMs(f, 1, o, () => 0)).toBe(750);
    expect(retryDelayMs(f, 1, o, () => 0.999)).toBeLessThan(750 + 76);
    expect(retryDelayMs({ ...f, retryAfterMs: undefined }, 1, o, () => 0.5)).toBe(50);
  });
});
