import { describe, expect, it } from "vitest";
import { checkMetadataStatement, splitExplain } from "./metadata-statements.js";

const views = new Set(["ods_events", "dwd_shop_order"]);
const reason = (sql: string) => {
  try {
    checkMetadataStatement(sql, views);
    return undefined;
  } catch (e) {
    return (e as { reason?: string }).reason;
  }
};

describe("checkMetadataStatement", () => {
  it.each(["SHOW TABLES", "show views;", "SHOW TABLES LIKE 'ods%'", "SHOW TABLES NOT ILIKE 'dwd_%'", "SHOW USER FUNCTIONS", "SHOW CURRENT DATABASE", "SHOW COLUMNS FROM ods_events", "DESCRIBE `dwd_shop_order`", "DESC ods_events"])(
    "accepts %s",
    (sql) => expect(reason(sql)).toBeUndefined(),
  );

  it.each([
    ["SHOW DATABASES", "STATEMENT_NOT_ALLOWED"],
    ["SHOW TABLES FROM trackway_base_1a2b", "STATEMENT_NOT_ALLOWED"],
    ["SHOW CREATE VIEW ods_events", "STATEMENT_NOT_ALLOWED"],
    ["SHOW TABLES LIKE 'a\\' OR 1=1 --'", "STATEMENT_NOT_ALLOWED"],
    ["SHOW TABLES LIKE 'x'; SELECT 1", "STATEMENT_NOT_ALLOWED"],
    ["DESCRIBE default_catalog.trackway_base_1a2b.ods_events", "STATEMENT_NOT_ALLOWED"],
    ["DESCRIBE kafka_events", "TABLE_NOT_ALLOWED"],
    ["SHOW COLUMNS FROM secrets", "TABLE_NOT_ALLOWED"],
  ])("refuses %s with %s", (sql, r) => expect(reason(sql)).toBe(r));
});

describe("splitExplain", () => {
  it("splits the EXPLAIN prefix from its query", () => {
    expect(splitExplain("EXPLAIN SELECT 1")).toEqual({ prefix: "EXPLAIN ", query: "SELECT 1" });
    expect(splitExplain("explain plan for SELECT 1").query).toBe("SELECT 1");
    expect(splitExplain("EXPLAIN ESTIMATED_COST, CHANGELOG_MODE SELECT 1").query).toBe("SELECT 1");
  });
});
