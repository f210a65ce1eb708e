import { describe, expect, it } from "vitest";
import { jobStatements, loadWarehouse } from "./warehouse.js";

describe("the ods_rejected job", async () => {
  const wh = await loadWarehouse();

  it("runs the same SQL in both modes; only the Kafka source's bound differs", () => {
    expect(wh.jobs.get("ods_rejected")?.modes).toEqual(["STREAMING", "BATCH"]);
    const streaming = jobStatements(wh, "ods_rejected", "STREAMING");
    const batch = jobStatements(wh, "ods_rejected", "BATCH");
    const differing = streaming.slice(1).filter((s, i) => s !== batch[i + 1]);
    expect(differing).toHaveLength(1);
    expect(differing[0]).toContain("'scan.bounded.mode' = 'unbounded'");
    expect(batch.join("\n")).toContain("'scan.bounded.mode' = 'latest-offset'");
  });
});
