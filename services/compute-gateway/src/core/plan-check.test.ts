import { describe, expect, it } from "vitest";
import { redact, tenantFilterOf, verifyPlan } from "./plan-check.js";

const H = "default_catalog, trackway_base_1a2b";
const ODS_FILTER = "LogicalFilter(condition=[=($1, _UTF-16LE'acme')])";
const DWS_FILTER = "LogicalFilter(condition=[=($0, _UTF-16LE'acme')])";
const policy = { hiddenPath: H, tenantFilters: new Map([["ods_events", ODS_FILTER], ["dws_event_counts_hourly", DWS_FILTER]]) };
const explain = (ast: string) => `== Abstract Syntax Tree ==\n${ast}\n\n== Optimized Physical Plan ==\nCalc(select=[x])\n\n== Optimized Execution Plan ==\nCalc(select=[x])\n`;
const reason = (text: string) => {
  try {
    verifyPlan(text, policy);
    return undefined;
  } catch (e) {
    return (e as { reason?: string }).reason;
  }
};

describe("verifyPlan", () => {
  it("accepts scans under the tenant filter of the tenant's views, joins included", () => {
    const ast = [
      "LogicalProject(event_id=[$0], n=[$42])",
      "+- LogicalJoin(condition=[=($1, $42)], joinType=[inner])",
      "   :- LogicalProject(event_id=[$0], tenant=[$1])",
      `   :  +- ${ODS_FILTER}`,
      `   :     +- LogicalTableScan(table=[[${H}, ods_events]])`,
      "   +- LogicalProject(tenant=[$0], event_name=[$1])",
      `      +- ${DWS_FILTER}`,
      `         +- LogicalTableScan(table=[[${H}, dws_event_counts_hourly]])`,
    ].join("\n");
    expect(reason(explain(ast))).toBeUndefined();
  });

  it("refuses a scan of the base table without the tenant filter (finding 1)", () => {
    const ast = [
      "LogicalProject(a=[_UTF-16LE'x\\'], tenant=[$0], n=[$1])",
      "+- LogicalAggregate(group=[{0}], n=[COUNT()])",
      "   +- LogicalProject(tenant=[$1])",
      `      +- LogicalTableScan(table=[[${H}, ods_events]])`,
    ].join("\n");
    expect(reason(explain(ast))).toBe("TABLE_NOT_ALLOWED");
  });

  it("refuses another tenant's filter and a filter that is not directly above the scan", () => {
    expect(reason(explain(`LogicalFilter(condition=[=($1, _UTF-16LE'other')])\n+- LogicalTableScan(table=[[${H}, ods_events]])`))).toBe("TABLE_NOT_ALLOWED");
    expect(reason(explain(`${ODS_FILTER}\n+- LogicalProject(tenant=[$1])\n   +- LogicalTableScan(table=[[${H}, ods_events]])`))).toBe("TABLE_NOT_ALLOWED");
    expect(reason(explain(`${DWS_FILTER}\n+- LogicalTableScan(table=[[${H}, ods_events]])`))).toBe("TABLE_NOT_ALLOWED");
  });

  it("refuses tables outside the hidden database and the tenant's views", () => {
    expect(reason(explain(`${ODS_FILTER}\n+- LogicalTableScan(table=[[default_catalog, default_database, ods_events]])`))).toBe("TABLE_NOT_ALLOWED");
    expect(reason(explain(`${ODS_FILTER}\n+- LogicalTableScan(table=[[${H}, secrets]])`))).toBe("TABLE_NOT_ALLOWED");
  });

  it("refuses a plan where a string value spans lines and could print operator lines of its own", () => {
    const forged = [
      "LogicalProject(x=[_UTF-16LE'a", // the literal continues on the next line
      `${ODS_FILTER}'])`,
      `+- LogicalTableScan(table=[[${H}, ods_events]])`,
    ].join("\n");
    expect(reason(explain(forged))).toBe("PLAN_NOT_ALLOWED");
  });

  it("refuses a second root, a skipped level and lines that are not operators", () => {
    expect(reason(explain("LogicalValues(tuples=[[{ 0 }]])\nLogicalValues(tuples=[[{ 1 }]])"))).toBe("PLAN_NOT_ALLOWED");
    expect(reason(explain("LogicalProject(a=[$0])\n   +- LogicalValues(tuples=[[{ 0 }]])"))).toBe("PLAN_NOT_ALLOWED");
    expect(reason(explain("LogicalProject(a=[$0])\n+- hash aggregate(x=[1])"))).toBe("PLAN_NOT_ALLOWED");
    expect(reason("no plan here")).toBe("PLAN_NOT_ALLOWED");
  });

  it("refuses plans that write", () => {
    expect(reason(explain("LogicalSink(table=[default_catalog.default_database.t], fields=[a])\n+- LogicalValues(tuples=[[{ 0 }]])"))).toBe("STATEMENT_NOT_READ_ONLY");
  });

  it("accepts operators printed without attributes, such as UNNEST's Uncollect", () => {
    const ast = [
      "LogicalProject(event_id=[$0], w=[$42])",
      "+- LogicalCorrelate(correlation=[$cor0], joinType=[inner], requiredColumns=[{40}])",
      "   :- LogicalProject(event_id=[$0], tenant=[$1])",
      `   :  +- ${ODS_FILTER}`,
      `   :     +- LogicalTableScan(table=[[${H}, ods_events]])`,
      "   +- LogicalProject(w=[$0])",
      "      +- Uncollect",
      "         +- LogicalProject(warnings=[$cor0.warnings])",
      "            +- LogicalValues(tuples=[[{ 0 }]])",
    ].join("\n");
    expect(reason(explain(ast))).toBeUndefined();
  });

  it("checks the scans of IN and EXISTS subqueries, which Flink prints in blocks", () => {
    const ok = [
      "LogicalProject($f0=[0])",
      "+- LogicalFilter(condition=[AND(IN($0, {",
      "LogicalProject(event_id=[$0])",
      `  ${ODS_FILTER}`,
      `    LogicalTableScan(table=[[${H}, ods_events]])`,
      "}), EXISTS({",
      "LogicalFilter(condition=[=($1, $cor0.event_name)])",
      `  ${DWS_FILTER}`,
      `    LogicalTableScan(table=[[${H}, dws_event_counts_hourly]])`,
      "}))], variablesSet=[[$cor0]])",
      `   +- ${ODS_FILTER}`,
      `      +- LogicalTableScan(table=[[${H}, ods_events]])`,
    ];
    expect(reason(explain(ok.join("\n")))).toBeUndefined();
    const bad = [...ok];
    bad[3] = "  LogicalProject(event_id=[$0])";
    expect(reason(explain(bad.join("\n")))).toBe("TABLE_NOT_ALLOWED");
    expect(reason(explain(ok.slice(0, 9).join("\n")))).toBe("PLAN_NOT_ALLOWED");
  });

  it("refuses other reading operators", () => {
    expect(reason(explain("LogicalProject(a=[$0])\n+- LogicalLegacyTableSourceScan(table=[[x]])"))).toBe("PLAN_NOT_ALLOWED");
  });

  it("accepts plans that scan nothing (VALUES, constants)", () => {
    expect(reason(explain("LogicalProject(EXPR$0=[1])\n+- LogicalValues(tuples=[[{ 0 }]])"))).toBeUndefined();
  });

  it("never names the hidden database in a refusal", () => {
    try {
      verifyPlan(explain(`LogicalTableScan(table=[[${H}, ods_events]])`), policy);
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).not.toContain("trackway_base");
    }
  });
});

describe("tenantFilterOf", () => {
  it("reads the filter Flink put above the view's scan", () => {
    const ast = `LogicalProject(event_id=[$0], tenant=[$1])\n+- ${ODS_FILTER}\n   +- LogicalTableScan(table=[[${H}, ods_events]])`;
    expect(tenantFilterOf(explain(ast), H, "ods_events")).toBe(ODS_FILTER);
  });
});

describe("redact", () => {
  it("replaces hidden names", () => {
    expect(redact("Object 'x' not found within 'default_catalog.trackway_base_1a2b'", ["trackway_base_1a2b"])).toBe("Object 'x' not found within 'default_catalog.hidden'");
  });
});
