import { describe, expect, it } from "vitest";
import { trendsSql, type TrendsSpec } from "./trends-sql.js";

const range = { start: new Date("2026-11-16T00:00:00Z"), end: new Date("2026-11-23T00:00:00Z") };
const spec = (over: Partial<TrendsSpec> = {}): TrendsSpec => ({ range, period: "DAY", series: [{ eventName: "view", measure: "TOTAL", filters: [] }], filters: [], limit: 10, ...over });
const dws = new Set(["dws_event_activity_hourly", "dws_event_activity_daily"]);

describe("trendsSql", () => {
  it("answers a plain count from the daily DWS table, with that table's freshness", () => {
    const t = trendsSql(spec({ period: "WEEK" }), dws);
    expect(t.sources).toEqual(["dws_event_activity_daily"]);
    expect(t.sql).toContain("SUM(event_count)");
    expect(t.sql).toContain("MAX(last_received_at) AS complete_up_to FROM dws_event_activity_daily");
    expect(t.sql).not.toContain("FROM ods_events");
  });

  it("reads ods_events when the DWS table is missing, the range is not on day bounds, or users are asked by week", () => {
    expect(trendsSql(spec(), new Set()).sources).toEqual(["ods_events"]);
    expect(trendsSql(spec({ range: { start: new Date("2026-11-16T01:00:00Z"), end: range.end } }), dws).sources).toEqual(["ods_events"]);
    expect(trendsSql(spec({ period: "WEEK", series: [{ eventName: "view", measure: "UNIQUE_USERS", filters: [] }] }), dws).sources).toEqual(["ods_events"]);
  });

  it("breaks down by a typed property through the event's dwd view, keeping the top N and folding the rest into $other", () => {
    const t = trendsSql(spec({ breakdown: { property: "plan" }, limit: 3 }), dws);
    expect(t.sources).toEqual(["ods_events"]);
    expect(t.sql).toContain("COALESCE(CAST(`plan` AS STRING), '(none)') AS bv");
    expect(t.sql).toContain("FROM dwd_view WHERE");
    expect(t.sql).toContain("WHERE rn <= 3");
    expect(t.sql).toContain("THEN '$other' ELSE b.bv END");
  });

  it("binds filter values as literals and renames a property clashing with a header column", () => {
    const t = trendsSql(
      spec({ filters: [{ field: { property: "locale" }, op: "EQUALS", values: [{ kind: { $case: "stringValue", value: "x' OR '1'='1" } }] }] }),
      dws,
    );
    expect(t.sql).toContain("`p_locale` IN ('x'' OR ''1''=''1')");
  });

  it("computes a nearest-rank percentile of a numeric property", () => {
    const t = trendsSql(spec({ series: [{ eventName: "view", measure: "PERCENTILE", property: "ms", percentile: 90, filters: [] }] }), dws);
    expect(t.sql).toContain("WHERE rn >= CEIL(0.9 * cnt)");
    expect(t.sql).toContain("CAST(`ms` AS DOUBLE) AS v");
  });

  it.each([
    [{ series: [] }, "1 to 10 series"],
    [{ series: [{ eventName: "view", measure: "SUM" as const, filters: [] }] }, "needs a numeric property"],
    [{ series: [{ eventName: "view", measure: "PERCENTILE" as const, property: "ms", percentile: 0, filters: [] }] }, "percentile"],
    [{ breakdown: { header: "properties" } }, "not a header column"],
    [{ breakdown: { property: "a.b c" } }, "dotted path"],
    [{ limit: 101 }, "breakdown_limit"],
  ])("refuses %j with ARGUMENT_INVALID", (over, text) => {
    expect(() => trendsSql(spec(over as Partial<TrendsSpec>), dws)).toThrow(expect.objectContaining({ reason: "ARGUMENT_INVALID", message: expect.stringContaining(text) }));
  });
});
