import { describe, expect, it } from "vitest";
import { combineJob } from "./combine.js";
import { parseJobFile, splitStatements } from "./job-file.js";

const a = parseJobFile("a", `-- @tables src,view,ta
-- @param checkpoint_interval 10s -- x
-- @param day - -- required
-- @streaming-param read_streaming true
SET 'execution.checkpointing.interval' = '\${checkpoint_interval}';
INSERT INTO ta SELECT x FROM view WHERE d = '\${day}';
`);
const b = parseJobFile("b", `-- @modes STREAMING
-- @tables src,view,tb
-- @param checkpoint_interval 10s -- x
SET 'execution.checkpointing.interval' = '\${checkpoint_interval}';
SET 'table.exec.mini-batch.enabled' = 'true';
INSERT INTO tb SELECT y FROM view;
`);
const combined = (text: string, more: Record<string, ReturnType<typeof parseJobFile>> = {}) =>
  combineJob(parseJobFile("ab", text), new Map(Object.entries({ a, b, ...more })));

describe("combineJob", () => {
  it("runs the members' INSERTs as one statement set after their SET statements, each once, and its own first", () => {
    const job = combined("-- @combines a,b\n-- @param mem 256mb -- own\nSET 'state.mem' = '${mem}';\n");
    const statements = splitStatements(job.body);
    expect(statements).toEqual([
      "SET 'state.mem' = '${mem}'",
      "SET 'execution.checkpointing.interval' = '${checkpoint_interval}'",
      "SET 'table.exec.mini-batch.enabled' = 'true'",
      "EXECUTE STATEMENT SET\nBEGIN\nINSERT INTO ta SELECT x FROM view WHERE d = '${day}';\nINSERT INTO tb SELECT y FROM view;\nEND",
    ]);
    expect(job.tables).toEqual(["src", "view", "ta", "tb"]);
    expect(job.params.map((p) => p.name)).toEqual(["mem", "checkpoint_interval", "day"]);
    expect(job.modeParams.STREAMING).toEqual({ read_streaming: "true" });
    expect(job.modes).toEqual(["STREAMING"]); // b runs only in STREAMING
  });

  it("refuses members that disagree on a setting, a parameter's default or a mode value, naming it", () => {
    const c = parseJobFile("c", "-- @param checkpoint_interval 5s -- x\nINSERT INTO tc SELECT 1;\n");
    expect(() => combined("-- @combines a,c", { c })).toThrow(/disagree on the default of parameter "checkpoint_interval"/);
    const d = parseJobFile("d", "SET 'table.exec.mini-batch.enabled' = 'false';\nINSERT INTO td SELECT 1;\n");
    expect(() => combined("-- @combines b,d", { d })).toThrow(/disagree on the setting "table.exec.mini-batch.enabled"/);
    const f = parseJobFile("f", "-- @streaming-param read_streaming false\nINSERT INTO tf SELECT 1;\n");
    expect(() => combined("-- @combines a,f", { f })).toThrow(/disagree on the STREAMING value of "read_streaming"/);
  });

  it("refuses an unknown member, a member that is not SET and INSERT only, and own statements other than SET", () => {
    expect(() => combined("-- @combines a,nope")).toThrow(/combines unknown job "nope"; known: a, b/);
    const e = parseJobFile("e", "CREATE TEMPORARY VIEW v AS SELECT 1;\nINSERT INTO te SELECT 1;\n");
    expect(() => combined("-- @combines a,e", { e })).toThrow(/e has a statement that is neither SET nor INSERT/);
    expect(() => combined("-- @combines a\nINSERT INTO x SELECT 1;\n")).toThrow(/holds only SET statements/);
  });
});
