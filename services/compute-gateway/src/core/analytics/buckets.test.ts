import { describe, expect, it } from "vitest";
import { bucketExpr, bucketStart, checkPeriodRange } from "./buckets.js";

describe("buckets", () => {
  it("starts weeks on Monday and months on the 1st, in UTC", () => {
    expect(bucketStart("WEEK", new Date("2026-11-22T23:00:00Z")).toISOString()).toBe("2026-11-16T00:00:00.000Z");
    expect(bucketStart("WEEK", new Date("2026-11-23T00:00:00Z")).toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(bucketStart("MONTH", new Date("2026-11-30T12:00:00Z")).toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(bucketExpr("WEEK")).toContain("DAYOFWEEK");
    expect(bucketExpr("HOUR", "bucket_start")).toBe("FLOOR(bucket_start TO HOUR)");
  });

  it("refuses a range of too many buckets", () => {
    expect(() => checkPeriodRange({ start: new Date(0), end: new Date(200_000 * 60_000) }, "MINUTE")).toThrow(expect.objectContaining({ reason: "ARGUMENT_INVALID" }));
    expect(checkPeriodRange({ start: new Date(0), end: new Date(200_000 * 60_000) }, "WEEK").start).toEqual(new Date(0));
  });
});
