import { describe, expect, it } from "vitest";
import { checkRange, countEventsSql, countUniqueUsersSql } from "./structured-sql.js";

const range = { start: new Date("2026-11-24T22:00:00Z"), end: new Date("2026-11-25T02:00:00Z") };

describe("countEventsSql", () => {
  it("buckets ods_events by the granularity over the range, pruning event_date partitions, names escaped", () => {
    const sql = countEventsSql(range, "HOUR", ["a", "it's"]);
    expect(sql).toContain("FLOOR(event_time TO HOUR) AS bucket_start");
    expect(sql).toContain("event_time >= TIMESTAMP '2026-11-24 22:00:00.000' AND event_time < TIMESTAMP '2026-11-25 02:00:00.000'");
    expect(sql).toContain("event_date >= '2026-11-24' AND event_date <= '2026-11-25'");
    expect(sql).toContain("event_name IN ('a', 'it''s')");
    expect(sql).toContain("COUNT(*) AS event_count, COUNT(DISTINCT user_key) AS unique_users");
  });

  it("reads no partition past the range's last instant", () => {
    const sql = countEventsSql({ start: new Date("2026-11-25T00:00:00Z"), end: new Date("2026-11-26T00:00:00Z") }, "DAY", []);
    expect(sql).toContain("event_date >= '2026-11-25' AND event_date <= '2026-11-25'");
    expect(sql).not.toContain("event_name IN");
  });
});

describe("countUniqueUsersSql", () => {
  it("computes buckets and the total in one pass with GROUPING SETS", () => {
    const sql = countUniqueUsersSql(range, "MINUTE", []);
    expect(sql).toContain("GROUP BY GROUPING SETS ((bucket_start), ())");
    expect(sql).toContain("user_key IS NOT NULL");
  });
});

describe("checkRange", () => {
  it.each([
    ["a missing range", undefined, "HOUR"],
    ["an empty range", { start: range.start, end: range.start }, "HOUR"],
    ["too many buckets", { start: new Date("2020-01-01T00:00:00Z"), end: new Date("2026-01-01T00:00:00Z") }, "MINUTE"],
  ] as const)("refuses %s", (_what, r, size) => {
    expect(() => checkRange(r, size)).toThrow(expect.objectContaining({ reason: "ARGUMENT_INVALID" }));
  });
});
