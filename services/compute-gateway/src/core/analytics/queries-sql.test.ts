import { dwdViewName } from "@trackway/warehouse";
import { describe, expect, it } from "vitest";
import { countEventsAnswerSql } from "./counts-sql.js";
import { splitFreshness, withFreshness } from "./freshness.js";
import { funnelAnalyticsSql, type FunnelSpec } from "./funnel-sql.js";
import { pathsSql, topEdges } from "./paths-sql.js";
import { retentionSql } from "./retention-sql.js";
import { stickinessSql } from "./stickiness-sql.js";

const range = { start: new Date("2026-11-20T00:00:00Z"), end: new Date("2026-11-21T00:00:00Z") };
const funnel = (over: Partial<FunnelSpec> = {}): FunnelSpec => ({ range, steps: ["view", "add", "buy"], windowMs: 3_600_000, droppedAtStep: 0, actorsLimit: 100, ...over });

describe("freshness", () => {
  it("keeps an empty answer's freshness and drops its all-NULL row", () => {
    expect(withFreshness("SELECT 1", [{ table: "t", freshnessSql: "SELECT 2 AS complete_up_to" }])).toContain("LEFT JOIN (\nSELECT 1\n) AS q ON TRUE");
    expect(splitFreshness([[null, null, "2026-11-20T10:00:00"]])).toEqual({ rows: [], completeUpTo: "2026-11-20T10:00:00" });
    expect(splitFreshness([["a", 1, "x"]])).toEqual({ rows: [["a", 1]], completeUpTo: "x" });
  });
});

describe("countEventsAnswerSql", () => {
  it("reads the hourly DWS table for hours on hour bounds, else ods_events", () => {
    expect(countEventsAnswerSql(range, "HOUR", ["buy"], new Set(["dws_event_activity_hourly"])).source).toBe("dws_event_activity_hourly");
    expect(countEventsAnswerSql(range, "DAY", [], new Set(["dws_event_activity_hourly"])).source).toBe("ods_events");
    expect(countEventsAnswerSql(range, "MINUTE", [], new Set(["dws_event_activity_hourly"])).source).toBe("ods_events");
  });
});

describe("funnelAnalyticsSql", () => {
  it("sorts the events once by user and breakdown value, one window per step, and lists dropped users up to the limit", () => {
    const sql = funnelAnalyticsSql(funnel({ breakdown: { header: "os_name" }, droppedAtStep: 2, actorsLimit: 5 }));
    expect(sql).toContain("COALESCE(CAST(`os_name` AS STRING), '(none)') AS bv");
    // Only the steps' names and four columns are read; no join per step.
    expect(sql).toContain("SELECT user_key, COALESCE(CAST(`os_name` AS STRING), '(none)') AS bv, event_name, event_time FROM ods_events");
    expect(sql).toContain("event_name IN ('view', 'add', 'buy')");
    expect(sql).not.toMatch(/\bJOIN e\b/);
    expect(sql).toContain("MIN(CASE WHEN event_name = 'view' AND event_time < TIMESTAMP '2026-11-21 00:00:00.000' THEN event_time END) OVER (PARTITION BY user_key, bv) AS t1");
    expect(sql).toContain("WHERE event_time >= t1 AND event_time <= TIMESTAMPADD(SECOND, 3600, t1)");
    expect(sql).toContain("MIN(CASE WHEN event_name = 'buy' AND event_time > t2 THEN event_time END) OVER (PARTITION BY user_key, bv) AS t3");
    expect(sql).toContain("GROUP BY GROUPING SETS ((bv, step), (step, b))");
    expect(sql).toContain("SELECT DISTINCT user_key FROM u WHERE t1 IS NOT NULL AND t2 IS NULL");
    expect(sql).toContain("ORDER BY user_key LIMIT 5");
  });

  it("breaks down by a typed property of the first step's view, the later steps on the user alone", () => {
    const view = dwdViewName("view");
    const sql = funnelAnalyticsSql(funnel({ breakdown: { property: "plan" } }), new Set([view]));
    expect(sql).toContain(`p1 AS (SELECT user_key, COALESCE(CAST(\`plan\` AS STRING), '(none)') AS bv, MIN(event_time) AS t1 FROM ${view}`);
    expect(sql).toContain("FROM p1 AS p JOIN e ON e.user_key = p.user_key WHERE e.event_time >= p.t1 AND e.event_time <= TIMESTAMPADD(SECOND, 3600, p.t1)");
    expect(sql).not.toContain("e.bv = p.bv");
    expect(() => funnelAnalyticsSql(funnel({ breakdown: { property: "plan" } }), new Set())).toThrow(expect.objectContaining({ reason: "ARGUMENT_INVALID" }));
  });

  it.each([
    [{ steps: ["view"] }],
    [{ windowMs: 1500 }],
    [{ breakdown: { property: "plan;drop" } }],
    [{ droppedAtStep: 1 }],
    [{ actorsLimit: 0 }],
  ])("refuses %j with ARGUMENT_INVALID", (over) => {
    expect(() => funnelAnalyticsSql(funnel(over as Partial<FunnelSpec>))).toThrow(expect.objectContaining({ reason: "ARGUMENT_INVALID" }));
  });
});

describe("retention, paths, stickiness", () => {
  it("follows weekly cohorts over N periods, scanning N + 1 periods past the range", () => {
    const sql = retentionSql({ range, cohortEvent: "signup", returnEvent: "", period: "WEEK", periods: 4 });
    expect(sql).toContain("TIMESTAMPDIFF(WEEK, c.cohort_start, e.event_time)");
    expect(sql).toContain("e.event_time < TIMESTAMPADD(DAY, 35, c.cohort_start)");
    expect(sql).toContain("event_time < TIMESTAMP '2026-12-26 00:00:00.000'");
    expect(() => retentionSql({ range, cohortEvent: "", returnEvent: "", period: "DAY", periods: 0 })).toThrow(expect.objectContaining({ reason: "ARGUMENT_INVALID" }));
  });

  it("cohorts by the first cohort event ever: no lower time bound, kept only when that first one is in the range", () => {
    const sql = retentionSql({ range, cohortEvent: "signup", returnEvent: "", period: "DAY", periods: 3, firstEver: true });
    const cohort = sql.slice(sql.indexOf("WITH c AS"), sql.indexOf("e AS ("));
    expect(cohort).not.toContain("event_time >=");
    expect(cohort).not.toContain("event_date >=");
    expect(cohort).toContain(`HAVING MIN(event_time) >= TIMESTAMP '${range.start.toISOString().replace("T", " ").replace("Z", "")}'`);
    expect(retentionSql({ range, cohortEvent: "signup", returnEvent: "", period: "DAY", periods: 3 })).not.toContain("HAVING");
  });

  it("follows previous events backwards, one join pair per step, and refuses a depth past 10", () => {
    const sql = pathsSql({ range, startEvent: "buy", direction: "PREVIOUS", depth: 3 });
    expect(sql).toContain("MAX(e.event_time) AS t FROM n2 AS q JOIN e ON e.user_key = q.user_key WHERE e.event_time < q.t");
    expect(sql).toContain("SELECT 3 AS step");
    expect(() => pathsSql({ range, startEvent: "buy", direction: "NEXT", depth: 11 })).toThrow(expect.objectContaining({ reason: "ARGUMENT_INVALID" }));
  });

  it("keeps the top transitions of each step", () => {
    const e = (step: number, toEvent: string, users: number) => ({ step, fromEvent: "a", toEvent, users });
    expect(topEdges([e(1, "x", 1), e(1, "y", 5), e(2, "z", 2), e(1, "w", 3)], 2)).toEqual([e(1, "y", 5), e(1, "w", 3), e(2, "z", 2)]);
  });

  it("counts distinct UTC days per user", () => {
    expect(stickinessSql(range, "view")).toContain("COUNT(DISTINCT CAST(event_time AS DATE)) AS days");
  });
});
