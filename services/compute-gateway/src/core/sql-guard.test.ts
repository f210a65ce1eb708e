import { beforeAll, describe, expect, it } from "vitest";
import { identifierParts, SqlGuard } from "./sql-guard.js";

const guard = new SqlGuard();
const policy = { tables: new Set(["ods_events", "dws_event_counts_hourly"]), forbiddenNames: ["tw_base_1a2b"] };
const reasonOf = (sql: string): string | undefined => {
  try {
    guard.check(sql, policy);
    return undefined;
  } catch (e) {
    return (e as { reason?: string }).reason;
  }
};

beforeAll(() => guard.warmUp(), 30_000);

describe("SqlGuard.check", () => {
  it.each([
    ["SELECT event_name, COUNT(*) FROM ods_events GROUP BY event_name", "QUERY"],
    ["select * from `ods_events` where event_name = 'a;b' -- trailing comment", "QUERY"],
    ["WITH x AS (SELECT * FROM ods_events) SELECT * FROM x", "QUERY"],
    ["VALUES (1), (2)", "QUERY"],
    ["SELECT 1;", "QUERY"],
    ["SHOW TABLES", "SHOW"],
    ["SHOW COLUMNS FROM ods_events", "SHOW"],
    ["DESCRIBE ods_events", "DESCRIBE"],
    ["EXPLAIN SELECT * FROM dws_event_counts_hourly", "EXPLAIN"],
    ["SELECT * FROM TABLE(TUMBLE(TABLE ods_events, DESCRIPTOR(event_time), INTERVAL '1' HOUR))", "QUERY"],
  ])("lets %s through as %s", (sql, kind) => {
    expect(guard.check(sql, policy).kind).toBe(kind);
  });

  it.each([
    "INSERT INTO ods_events SELECT * FROM ods_events",
    "INSERT OVERWRITE ods_events SELECT * FROM ods_events",
    "CREATE TABLE t (a INT) WITH ('connector' = 'datagen')",
    "CREATE TEMPORARY VIEW v AS SELECT 1",
    "DROP TABLE ods_events",
    "ALTER TABLE ods_events RENAME TO x",
    "SET 'table.dynamic-table-options.enabled' = 'true'",
    "RESET",
    "ADD JAR '/tmp/evil.jar'",
    "EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; END",
    "USE hidden",
    "LOAD MODULE hive",
    "UNLOAD MODULE core",
    "STOP JOB 'abc'",
    "TRUNCATE TABLE ods_events",
    "DELETE FROM ods_events",
    "UPDATE ods_events SET tenant = 'x'",
    "ANALYZE TABLE ods_events COMPUTE STATISTICS",
    "CALL sys.compact('x')",
    "EXPLAIN INSERT INTO ods_events SELECT * FROM ods_events",
    "SELECT 1; INSERT INTO ods_events SELECT * FROM ods_events",
    "SELECT 1; SELECT 2",
  ])("refuses %s as not read-only", (sql) => {
    expect(reasonOf(sql)).toBe("STATEMENT_NOT_READ_ONLY");
  });

  it.each(["SHOW JARS", "SHOW CATALOGS", "SHOW DATABASES", "SHOW CREATE TABLE ods_events", "SELECT * FROM ods_events /*+ OPTIONS('path' = 'file:///') */"])(
    "refuses %s as not allowed",
    (sql) => expect(reasonOf(sql)).toBe("STATEMENT_NOT_ALLOWED"),
  );

  it.each([
    "SELECT * FROM other_table",
    "SELECT * FROM default_catalog.default_database.ods_events",
    "SELECT * FROM tw_base_1a2b.ods_events",
    "SELECT * FROM `TW_BASE_1A2B`.`ods_events`",
    "SELECT * FROM ods_events JOIN secrets ON true",
    "SELECT * FROM ods_events WHERE event_id IN (SELECT event_id FROM kafka_events)",
    "SELECT * FROM TABLE(TUMBLE(TABLE hidden_table, DESCRIPTOR(event_time), INTERVAL '1' HOUR))",
    "SHOW TABLES FROM tw_base_1a2b",
    "DESCRIBE kafka_events",
  ])("refuses %s as naming a table the caller may not read", (sql) => {
    expect(reasonOf(sql)).toBe("TABLE_NOT_ALLOWED");
  });

  it("tells a typo in a query (SQL_SYNTAX_ERROR) from an unknown statement", () => {
    expect(reasonOf("SELECT FROM WHERE")).toBe("SQL_SYNTAX_ERROR");
    expect(reasonOf("   ")).toBe("SQL_SYNTAX_ERROR");
    expect(reasonOf("GRANT ALL ON ods_events TO bob")).toBe("STATEMENT_NOT_READ_ONLY");
  });

  it("fails closed on valid Flink SQL the grammar does not know (FLOOR … TO, EXTRACT … FROM)", () => {
    expect(reasonOf("SELECT FLOOR(event_time TO HOUR) FROM ods_events")).toBe("SQL_SYNTAX_ERROR");
    expect(reasonOf("SELECT EXTRACT(HOUR FROM event_time) FROM ods_events")).toBe("SQL_SYNTAX_ERROR");
  });

  it("lists the views a query reads, CTE names excluded", () => {
    const r = guard.check("WITH x AS (SELECT * FROM ods_events) SELECT * FROM x JOIN dws_event_counts_hourly d ON true", policy);
    expect(r.tables).toEqual(["ods_events", "dws_event_counts_hourly"]);
  });
});

describe("identifierParts", () => {
  it("splits on dots outside back quotes and undoes doubled back quotes", () => {
    expect(identifierParts("a.`b.c`.`d``e`")).toEqual(["a", "b.c", "d`e"]);
  });
});
