import { describe, expect, it } from "vitest";
import { summarizeFailures, type Rejection } from "./failure-summary.js";

const r = (reason: string, at: number, event_name?: string): Rejection => ({ tenant: "t", reason, reasons: [reason], message: reason, received_at: at, event_name });

describe("summarizeFailures", () => {
  const rows = [r("UNKNOWN_EVENT", 60_000, "a"), r("UNKNOWN_EVENT", 61_000, "a"), r("SCHEMA_MISMATCH", 125_000, "b"), r("OLD", 1000), r("UNPARSED", 130_000)];

  it("counts by reason and event within the window, most first", () => {
    const s = summarizeFailures(rows, 60_000, 180_000, 60_000);
    expect(s.total).toBe(4);
    expect(s.byReason).toEqual([
      { reason: "UNKNOWN_EVENT", count: 2 },
      { reason: "SCHEMA_MISMATCH", count: 1 },
      { reason: "UNPARSED", count: 1 },
    ]);
    expect(s.byEvent[0]).toEqual({ eventName: "a", count: 2 });
    expect(s.byEvent.map((e) => e.eventName)).toContain("(unparsed)");
  });

  it("puts each rejection in its time bucket and lists the newest examples first", () => {
    const s = summarizeFailures(rows, 60_000, 180_000, 60_000, 2);
    expect(s.series.buckets).toEqual([60_000, 120_000, 180_000]);
    expect(s.series.reasons.find((x) => x.reason === "UNKNOWN_EVENT")!.counts).toEqual([2, 0, 0]);
    expect(s.series.reasons.find((x) => x.reason === "SCHEMA_MISMATCH")!.counts).toEqual([0, 1, 0]);
    expect(s.examples.map((e) => e.received_at)).toEqual([130_000, 125_000]);
  });
});
