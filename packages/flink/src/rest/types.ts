/** A job in Flink's overview (`GET /jobs/overview`). */
export interface FlinkJobSummary {
  jid: string;
  name: string;
  state: string;
  "start-time": number;
}

/** Where a savepoint trigger is. */
export type SavepointStatus = { state: "IN_PROGRESS" } | { state: "COMPLETED"; location: string } | { state: "FAILED"; failure: string };

/** The cluster's overview (`GET /overview`). */
export interface ClusterOverview {
  taskmanagers: number;
  "slots-total": number;
  "slots-available": number;
  "jobs-running": number;
  [k: string]: unknown;
}

/** A job's checkpoint statistics (`GET /jobs/:id/checkpoints`), the parts callers read. */
export interface CheckpointStats {
  counts?: { completed?: number; failed?: number; in_progress?: number };
  latest?: {
    completed?: { latest_ack_timestamp?: number; external_path?: string } | null;
    failed?: { failure_timestamp?: number } | null;
    restored?: { external_path?: string } | null;
    savepoint?: { external_path?: string } | null;
  };
}

/** Flink states after which a job does nothing more. */
export const TERMINAL_FLINK_STATES: ReadonlySet<string> = new Set(["FINISHED", "CANCELED", "FAILED"]);
