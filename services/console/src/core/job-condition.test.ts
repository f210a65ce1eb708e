import { describe, expect, it } from "vitest";
import { jobCondition } from "./job-condition.js";

describe("jobCondition", () => {
  it("calls a RUNNING job that has restarted failing, whatever its checkpoints", () => {
    expect(jobCondition({ state: "RUNNING", restarts: 3, failedCheckpoints: 0 })).toBe("failing");
    expect(jobCondition({ state: "RESTARTING", restarts: 0, failedCheckpoints: 0 })).toBe("failing");
  });

  it("calls a job with failed checkpoints but no restart degraded, and a clean one healthy", () => {
    expect(jobCondition({ state: "RUNNING", restarts: 0, failedCheckpoints: 58 })).toBe("degraded");
    expect(jobCondition({ state: "RUNNING", restarts: 0, failedCheckpoints: 0 })).toBe("healthy");
  });
});
