import { describe, expect, it } from "vitest";
import { AnalyticsRequestError, breakdownField, retentionForm, trendsForm } from "./analytics-request.js";

const now = Date.parse("2026-12-01T04:20:00Z");

describe("trendsForm", () => {
  it("covers the last hours up to the end of the current bucket", () => {
    const f = trendsForm({ series: [{ eventName: "shop.page_viewed" }, { eventName: "shop.order_completed", measure: "UNIQUE_USERS" }], hours: 6 }, now);
    expect(f.start.toISOString()).toBe("2026-11-30T23:00:00.000Z");
    expect(f.end.toISOString()).toBe("2026-12-01T05:00:00.000Z");
    expect(f.series).toEqual([{ eventName: "shop.page_viewed", measure: "TOTAL" }, { eventName: "shop.order_completed", measure: "UNIQUE_USERS" }]);
    const d = trendsForm({ series: [{ eventName: "a" }], hours: 48, granularity: "DAY" }, now);
    expect([d.start.toISOString(), d.end.toISOString()]).toEqual(["2026-11-30T00:00:00.000Z", "2026-12-02T00:00:00.000Z"]);
  });

  it("refuses no series, a bad event name, a bad measure and a bad breakdown, each in a sentence", () => {
    expect(() => trendsForm({ series: [] }, now)).toThrow(AnalyticsRequestError);
    expect(() => trendsForm({ series: [{ eventName: "x; DROP" }] }, now)).toThrow(/event name/);
    expect(() => trendsForm({ series: [{ eventName: "a", measure: "SUM" }] }, now)).toThrow(/measure/);
    expect(() => trendsForm({ series: [{ eventName: "a" }], breakdown: "property:a b" }, now)).toThrow(/breakdown/);
    expect(() => trendsForm({ series: [{ eventName: "a" }], hours: 0 }, now)).toThrow(/hours/);
  });
});

describe("breakdownField", () => {
  it("reads header columns (bare or prefixed) and typed properties", () => {
    expect(breakdownField("")).toBeUndefined();
    expect(breakdownField("os_name")).toEqual({ header: "os_name" });
    expect(breakdownField("header:app_version")).toEqual({ header: "app_version" });
    expect(breakdownField("property:cart.total")).toEqual({ property: "cart.total" });
  });
});

describe("retentionForm", () => {
  it("spans the followed periods and the current one, weeks from Monday", () => {
    const d = retentionForm({ cohortEvent: "shop.page_viewed", periods: 3 }, now);
    expect([d.start.toISOString(), d.end.toISOString()]).toEqual(["2026-11-28T00:00:00.000Z", "2026-12-02T00:00:00.000Z"]);
    const w = retentionForm({ period: "WEEK", periods: 2 }, now);
    // 2026-12-01 is a Tuesday: its week started on Monday 2026-11-30.
    expect([w.start.toISOString(), w.end.toISOString()]).toEqual(["2026-11-16T00:00:00.000Z", "2026-12-07T00:00:00.000Z"]);
    expect(w.cohortEvent).toBe("");
  });

  it("refuses a bad period count or event name", () => {
    expect(() => retentionForm({ periods: 31 }, now)).toThrow(/periods/);
    expect(() => retentionForm({ returnEvent: "a'b" }, now)).toThrow(/returnEvent/);
    expect(() => retentionForm({ period: "MONTH" }, now)).toThrow(/period/);
  });
});
