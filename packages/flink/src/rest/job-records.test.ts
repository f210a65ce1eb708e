import { describe, expect, it } from "vitest";
import { recordCounts } from "./job-records.js";

describe("recordCounts", () => {
  it("counts a MERGE_ON_READ write at its writer, not at Hudi's compaction vertices after it", () => {
    // The vertices of the ODS job on a MERGE_ON_READ table, as Flink 1.17 + Hudi 0.14 report them.
    const details = {
      jid: "j",
      name: "ods_events",
      state: "RUNNING",
      "start-time": 0,
      vertices: [
        { id: "src", name: "Source: kafka_events[1146] -> Calc[1147] -> row_data_to_hoodie_record" },
        { id: "write", name: "bucket_write: default_database.ods_events" },
        { id: "plan", name: "compact_plan_generate" },
        { id: "task", name: "compact_task -> Sink: compact_commit" },
      ],
      plan: { nodes: [{ id: "task", inputs: [{ id: "plan" }] }, { id: "plan", inputs: [{ id: "write" }] }, { id: "write", inputs: [{ id: "src" }] }, { id: "src" }] },
    };
    const counts = new Map([["src", { in: 0, out: 20 }], ["write", { in: 20, out: 0 }], ["plan", { in: 0, out: 0 }], ["task", { in: 0, out: 0 }]]);
    expect(recordCounts(details, counts)).toEqual({ recordsIn: 20, recordsOut: 20 });
  });
});
