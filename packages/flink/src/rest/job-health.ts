import { rootCause } from "../root-cause.js";
import type { CheckpointStats } from "./types.js";

/** `GET /jobs/:id/exceptions`, the parts read: Flink's exception history (newest first) and the legacy root exception. */
export interface FlinkJobExceptions {
  "root-exception"?: string | null;
  timestamp?: number | null;
  exceptionHistory?: { entries?: { exceptionName?: string; stacktrace?: string; timestamp?: number }[] } | null;
}

/** Whether a job's run has been failing over, even while Flink reports it RUNNING. */
export interface JobHealth {
  /** Failovers of the run so far (Flink's `numRestarts` job metric). */
  restarts: number;
  completedCheckpoints: number;
  failedCheckpoints: number;
  /** When the newest failed checkpoint Flink still lists failed. */
  lastFailedCheckpointAt?: Date;
  /** The newest exception's root cause and time; unset when the run has seen none. */
  lastException?: { message: string; at: Date };
}

/** Reads a job's health from its checkpoint statistics, its `numRestarts` metric value and its exceptions. */
export function jobHealth(checkpoints: CheckpointStats | undefined, numRestarts: string | undefined, exceptions: FlinkJobExceptions | undefined): JobHealth {
  const newest = exceptions?.exceptionHistory?.entries?.[0];
  const trace = newest?.stacktrace ?? exceptions?.["root-exception"] ?? undefined;
  const at = newest?.timestamp ?? exceptions?.timestamp ?? undefined;
  const restarts = Number(numRestarts ?? 0);
  const failedAt = checkpoints?.latest?.failed?.failure_timestamp;
  return {
    // Flink reports -1 before the job has a restart strategy running.
    restarts: Number.isFinite(restarts) && restarts > 0 ? restarts : 0,
    completedCheckpoints: checkpoints?.counts?.completed ?? 0,
    failedCheckpoints: checkpoints?.counts?.failed ?? 0,
    ...(failedAt ? { lastFailedCheckpointAt: new Date(failedAt) } : {}),
    ...(trace ? { lastException: { message: rootCause(trace), at: new Date(at ?? 0) } } : {}),
  };
}
