/** Where a version is in its life: accepted, accepted but flagged, rejected at ingest. */
export const LIFECYCLE_STATES = ["ACTIVE", "DEPRECATED", "DISABLED"] as const;

/** One lifecycle state. */
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

const rank: Record<LifecycleState, number> = { ACTIVE: 0, DEPRECATED: 1, DISABLED: 2 };

/**
 * Whether a version may move from one state to another: only forward (active → deprecated → disabled, or
 * straight to disabled), never back, so a consumer that saw a version disabled can rely on it staying so.
 * Staying in the same state is allowed (a no-op).
 */
export const canMoveLifecycle = (from: LifecycleState, to: LifecycleState): boolean => rank[to] >= rank[from];

/**
 * The version ingest uses for an event that names none: the newest ACTIVE one, else the newest DEPRECATED one,
 * else the newest of all (a DISABLED one, which ingest then rejects with a clear reason).
 */
export function preferActive<T extends { version: number; lifecycle: LifecycleState }>(versions: readonly T[]): T | undefined {
  const newest = (state?: LifecycleState) =>
    versions.filter((v) => state === undefined || v.lifecycle === state).reduce<T | undefined>((a, v) => (!a || v.version > a.version ? v : a), undefined);
  return newest("ACTIVE") ?? newest("DEPRECATED") ?? newest();
}
