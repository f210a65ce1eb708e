import { describe, expect, it } from "vitest";
import { lexFlinkSql } from "./flink-lexer.js";

const reason = (sql: string) => {
  try {
    lexFlinkSql(sql);
    return undefined;
  } catch (e) {
    return (e as { reason?: string }).reason;
  }
};

describe("lexFlinkSql", () => {
  it.each([
    "SELECT 'it''s', `a``b` FROM ods_events -- a comment with ' and `",
    "SELECT 1 /* a comment with ' */ FROM ods_events",
    "SELECT 'a\\b' FROM ods_events",
    "SELECT x FROM t\r\nWHERE y = 1",
  ])("accepts %s", (sql) => {
    expect(reason(sql)).toBeUndefined();
  });

  it.each([
    ["SELECT 'x\\' AS a, t.tenant FROM hidden.ods_events AS t -- ' AS b FROM ods_events", "STATEMENT_AMBIGUOUS"],
    ["SELECT 'x\\\\' FROM ods_events", "STATEMENT_AMBIGUOUS"],
    ["SELECT U&'\\0041' FROM ods_events", "STATEMENT_AMBIGUOUS"],
    ["SELECT u&'x' FROM ods_events", "STATEMENT_AMBIGUOUS"],
    ["SELECT 1 /* outer /* inner */ FROM secret */ FROM ods_events", "STATEMENT_AMBIGUOUS"],
    ["SELECT 1 /* unterminated", "STATEMENT_AMBIGUOUS"],
    ["SELECT 'unterminated", "STATEMENT_AMBIGUOUS"],
    ["SELECT `unterminated", "STATEMENT_AMBIGUOUS"],
    ["SELECT 1 -- comment\rFROM hidden.ods_events", "STATEMENT_AMBIGUOUS"],
    ["SELECT `a\nb` FROM ods_events", "STATEMENT_AMBIGUOUS"],
    ['SELECT "ods_events" FROM ods_events', "STATEMENT_AMBIGUOUS"],
  ])("refuses %s", (sql, r) => {
    expect(reason(sql)).toBe(r);
  });

  it("refuses 2,000 OR terms and a 20,000-item IN list as too complex", () => {
    const ors = `SELECT * FROM ods_events WHERE ${Array.from({ length: 2000 }, (_, i) => `event_id = 'e${i}'`).join(" OR ")}`;
    const inList = `SELECT * FROM ods_events WHERE event_id IN (${Array.from({ length: 20_000 }, (_, i) => `'e${i}'`).join(", ")})`;
    const deep = `SELECT ${"(".repeat(200)}1${")".repeat(200)} FROM ods_events`;
    expect(reason(ors)).toBe("QUERY_TOO_COMPLEX");
    expect(reason(inList)).toBe("QUERY_TOO_COMPLEX");
    expect(reason(deep)).toBe("QUERY_TOO_COMPLEX");
    expect(reason(`SELECT ${Array.from({ length: 3000 }, () => "1").join(" + ")} FROM ods_events`)).toBe("QUERY_TOO_COMPLEX");
  });

  it("is linear: a 4 MB statement lexes in well under a second", () => {
    const big = `SELECT '${"x".repeat(4 * 2 ** 20)}' FROM ods_events`;
    const t = Date.now();
    lexFlinkSql(big);
    expect(Date.now() - t).toBeLessThan(1000);
  });
});
