/** Flink job states in which a job waits for task slots (being scheduled, or restarting after a failure). */
export const SCHEDULING_STATES: ReadonlySet<string> = new Set(["CREATED", "INITIALIZING", "RESTARTING", "RECONCILING"]);

/** Whether a Flink job is a tenant statement's (named by queryJobName), not a warehouse job. */
export const isQueryJob = (name: string): boolean => name.startsWith("trackway-query:");

/** The task slots a job takes with Flink's default slot sharing: its largest vertex parallelism (at least 1). */
export function slotsOf(vertices: readonly { parallelism?: number }[]): number {
  return Math.max(1, ...vertices.map((v) => v.parallelism ?? 1));
}

/** What deciding needs: the cluster's free slots, and the slots warehouse jobs waiting to be scheduled need. */
export interface SlotView {
  slotsAvailable: number;
  /** Slots of the warehouse (non-query) jobs in a scheduling state: they must get them before any new query. */
  waitingJobsNeed: number;
}

/** How a query job is sized against the cluster. */
export interface SlotPolicy {
  /** Slots the query's job takes. */
  parallelism: number;
  /** Slots kept free beyond what waiting warehouse jobs need (headroom for a streaming job's restart). */
  reserve: number;
  /** Query jobs admitted here that Flink does not show running yet (their slots are not taken in the view yet). */
  pending: number;
}

/**
 * Whether a query job may start now: what stays free after the slots waiting warehouse jobs need, the reserve and the
 * query jobs admitted but not yet running must still hold the query's own slots. Streaming jobs that restart never
 * find their slots taken by batch queries.
 */
export function queryMayStart(v: SlotView, p: SlotPolicy): boolean {
  return v.slotsAvailable - v.waitingJobsNeed - p.reserve - p.pending * p.parallelism >= p.parallelism;
}
