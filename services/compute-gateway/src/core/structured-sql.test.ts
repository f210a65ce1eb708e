import { describe, expect, it } from "vitest";
import { checkRange, countEventsSql, countUniqueUsersSql, funnelSql, funnelSteps } from "./structured-sql.js";

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

describe("funnelSql", () => {
  it("chains one join per step, each strictly after the previous and within the window of the first", () => {
    const sql = funnelSql(range, ["view", "add", "buy"], 3_600_000);
    expect(sql.match(/JOIN e ON/g)).toHaveLength(2);
    expect(sql).toContain("s3 AS (");
    expect(sql).toContain("e.event_time > p.tk AND e.event_time <= TIMESTAMPADD(SECOND, 3600, p.t1)");
    // Later steps may land up to one window after the range.
    expect(sql).toContain("event_time < TIMESTAMP '2026-11-25 03:00:00.000'");
    expect(sql).toContain("WHERE event_name = 'view' AND event_time < TIMESTAMP '2026-11-25 02:00:00.000'");
    expect(sql).toContain("SELECT 3 AS step, COUNT(*) AS users FROM s3");
    expect(sql).not.toMatch(/MATCH_RECOGNIZE/);
  });

  it.each([
    ["one step", ["a"], 60_000],
    ["six steps", ["a", "b", "c", "d", "e", "f"], 60_000],
    ["an empty step", ["a", ""], 60_000],
    ["a window under a second", ["a", "b"], 500],
    ["a window of fractional seconds", ["a", "b"], 1500],
    ["a window over 90 days", ["a", "b"], 91 * 86_400_000],
  ])("refuses %s with ARGUMENT_INVALID", (_what, steps, window) => {
    expect(() => funnelSql(range, steps, window)).toThrow(expect.objectContaining({ reason: "ARGUMENT_INVALID" }));
  });

  it("computes conversion from the first step", () => {
    expect(funnelSteps(["a", "b"], new Map([[1, 4], [2, 1]]))).toEqual([
      { eventName: "a", users: 4, conversion: 1 },
      { eventName: "b", users: 1, conversion: 0.25 },
    ]);
    expect(funnelSteps(["a", "b"], new Map())).toEqual([
      { eventName: "a", users: 0, conversion: 0 },
      { eventName: "b", users: 0, conversion: 0 },
    ]);
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
