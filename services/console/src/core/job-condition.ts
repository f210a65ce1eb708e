import type { JobCondition } from "../api/wire.js";

/**
 * A run's condition from its failovers and failed checkpoints. Flink shows a job that keeps failing over as
 * RUNNING between restarts (with a fresh checkpoint from before the failure), so RUNNING alone says little.
 */
export function jobCondition(j: { state: string; restarts: number; failedCheckpoints: number }): JobCondition {
  if (j.state === "RESTARTING" || j.state === "FAILING" || j.restarts > 0) return "failing";
  if (j.failedCheckpoints > 0) return "degraded";
  return "healthy";
}
