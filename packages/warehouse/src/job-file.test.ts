import { describe, expect, it } from "vitest";
import { parseJobFile, splitStatements, substitute } from "./job-file.js";

const text = `-- @description Demo job.
-- @modes STREAMING,BATCH
-- @tables a,b
-- @param path file:///tmp -- where
-- @param day - -- required
-- @batch-param bounded latest-offset
SET 'x' = '\${path}';
INSERT INTO t SELECT * FROM s WHERE d = '\${day}';
`;

describe("parseJobFile", () => {
  it("reads the header: description, modes, tables, params with defaults and per-mode values", () => {
    const job = parseJobFile("demo", text);
    expect(job).toMatchObject({ name: "demo", description: "Demo job.", modes: ["STREAMING", "BATCH"], tables: ["a", "b"] });
    expect(job.params).toEqual([
      { name: "path", default: "file:///tmp", description: "where" },
      { name: "day", default: undefined, description: "required" },
    ]);
    expect(job.modeParams).toEqual({ STREAMING: {}, BATCH: { bounded: "latest-offset" } });
  });
});

describe("substitute", () => {
  it("fills parameters, values overriding defaults", () => {
    const sql = substitute(parseJobFile("demo", text), { day: "2026-11-25" });
    expect(sql).toContain("SET 'x' = 'file:///tmp'");
    expect(sql).toContain("d = '2026-11-25'");
  });

  it("names a parameter that has no value", () => {
    expect(() => substitute(parseJobFile("demo", text), {})).toThrow(/"day" has no value/);
  });
});

describe("splitStatements", () => {
  it("splits at semicolons ending a line and drops comments", () => {
    expect(splitStatements("-- c\nSET 'a' = 'b';\n\nSELECT 1\nFROM t;\n")).toEqual(["SET 'a' = 'b'", "SELECT 1\nFROM t"]);
  });

  it("keeps a statement set whole", () => {
    const sql = "EXECUTE STATEMENT SET\nBEGIN\nINSERT INTO a SELECT 1;\nINSERT INTO b SELECT 2;\nEND;\nSELECT 3;";
    expect(splitStatements(sql)).toEqual(["EXECUTE STATEMENT SET\nBEGIN\nINSERT INTO a SELECT 1;\nINSERT INTO b SELECT 2;\nEND", "SELECT 3"]);
  });
});
