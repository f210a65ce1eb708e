import { describe, expect, it } from "vitest";
import { jobHealth } from "./job-health.js";

describe("jobHealth", () => {
  it("reads failovers, checkpoint counts and the newest exception's root cause", () => {
    const h = jobHealth(
      { counts: { completed: 15, failed: 58, in_progress: 1 }, latest: { failed: { failure_timestamp: 1_700_000_001_000 } } },
      "7",
      {
        "root-exception": "old",
        exceptionHistory: {
          entries: [
            { exceptionName: "org.apache.flink.runtime.JobException", stacktrace: "org.apache.flink.runtime.JobException: Recovery is suppressed\n\tat x\nCaused by: java.io.IOException: bucket_write failed\n\tat y", timestamp: 1_700_000_000_000 },
            { stacktrace: "older", timestamp: 1 },
          ],
        },
      },
    );
    expect(h).toEqual({ restarts: 7, completedCheckpoints: 15, failedCheckpoints: 58, lastFailedCheckpointAt: new Date(1_700_000_001_000), lastException: { message: "java.io.IOException: bucket_write failed", at: new Date(1_700_000_000_000) } });
  });

  it("is healthy when Flink has nothing to report (no metric yet: -1, no exceptions)", () => {
    expect(jobHealth(undefined, "-1", { "root-exception": null, timestamp: null, exceptionHistory: { entries: [] } })).toEqual({ restarts: 0, completedCheckpoints: 0, failedCheckpoints: 0 });
  });
});
