import { describe, expect, it } from "vitest";
import { recordCounts, rootCause } from "@trackway/flink";
import { classifyGatewayError } from "./flink-errors.js";

const trace = (last: string) =>
  `org.apache.flink.table.gateway.api.utils.SqlGatewayException: Failed to fetchResults.\n\tat a.b(C.java:1)\nCaused by: org.x.SqlExecutionException: Failed to execute\n\tat d.e(F.java:2)\nCaused by: ${last}\n\tat g.h(I.java:3)\n\t... 4 more`;

describe("classifyGatewayError", () => {
  it("returns the deepest cause, not the stack", () => {
    const c = classifyGatewayError(trace("org.apache.calcite.sql.validate.SqlValidatorException: Column 'nope' not found in any table"));
    expect(c).toEqual({ kind: "invalid", message: "org.apache.calcite.sql.validate.SqlValidatorException: Column 'nope' not found in any table" });
  });

  it("tells Flink's failures from invalid statements and lost sessions", () => {
    expect(classifyGatewayError(trace("java.io.FileNotFoundException: File file:/x/.hoodie does not exist")).kind).toBe("flink");
    expect(classifyGatewayError("org.apache.flink.table.gateway.api.utils.SqlGatewayException: Session '1-2' does not exist.").kind).toBe("session-lost");
  });

  it("keeps a cause's message lines that come before its stack", () => {
    expect(rootCause("x\nCaused by: a.B: Unable to create a source\n\nTable options are:\n'connector'='hudi'\n\tat c.d(E.java:1)")).toBe(
      "a.B: Unable to create a source Table options are: 'connector'='hudi'",
    );
  });
});

describe("recordCounts", () => {
  it("reads records in at the sources and records out at the sinks", () => {
    const details = {
      jid: "j",
      name: "n",
      state: "RUNNING",
      "start-time": 0,
      vertices: [{ id: "src", name: "Source" }, { id: "mid", name: "Agg" }, { id: "sink", name: "Sink" }],
      plan: { nodes: [{ id: "sink", inputs: [{ id: "mid" }] }, { id: "mid", inputs: [{ id: "src" }] }, { id: "src" }] },
    };
    const counts = new Map([["src", { in: 0, out: 350 }], ["mid", { in: 350, out: 20 }], ["sink", { in: 20, out: 0 }]]);
    expect(recordCounts(details, counts)).toEqual({ recordsIn: 350, recordsOut: 20 });
  });
});
