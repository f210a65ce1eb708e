import { describe, expect, it } from "vitest";
import { jobCondition } from "./job-condition.js";

const at = (s: number) => new Date(1_700_000_000_000 + s * 1000);

describe("jobCondition", () => {
  it("calls a RUNNING job that has restarted failing, whatever its checkpoints", () => {
    expect(jobCondition({ state: "RUNNING", restarts: 3, lastCheckpointAt: at(10) })).toBe("failing");
    expect(jobCondition({ state: "RESTARTING", restarts: 0 })).toBe("failing");
  });

  it("calls a job whose newest checkpoint failed degraded, and one that checkpointed since healthy", () => {
    expect(jobCondition({ state: "RUNNING", restarts: 0, lastCheckpointAt: at(10), lastFailedCheckpointAt: at(20) })).toBe("degraded");
    expect(jobCondition({ state: "RUNNING", restarts: 0, lastFailedCheckpointAt: at(20) })).toBe("degraded");
    expect(jobCondition({ state: "RUNNING", restarts: 0, lastCheckpointAt: at(30), lastFailedCheckpointAt: at(20) })).toBe("healthy");
    expect(jobCondition({ state: "RUNNING", restarts: 0 })).toBe("healthy");
  });
});
