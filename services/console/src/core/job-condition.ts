import type { JobCondition } from "../api/wire.js";

/** What the condition of a run is read from. */
export interface JobConditionInput {
  state: string;
  restarts: number;
  lastCheckpointAt?: Date;
  lastFailedCheckpointAt?: Date;
}

/**
 * A run's condition from its failovers and checkpoints. Flink shows a job that keeps failing over as RUNNING between
 * restarts (with a fresh checkpoint from before the failure), so RUNNING alone says little. A failed checkpoint now
 * and then is not news: the run is degraded only while the newest checkpoint outcome is a failure.
 */
export function jobCondition(j: JobConditionInput): JobCondition {
  if (j.state === "RESTARTING" || j.state === "FAILING" || j.restarts > 0) return "failing";
  if (j.lastFailedCheckpointAt && (!j.lastCheckpointAt || j.lastFailedCheckpointAt > j.lastCheckpointAt)) return "degraded";
  return "healthy";
}
