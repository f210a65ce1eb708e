// Is a load step's lag bounded? A pure rule, fixed before any run and unit-tested on synthetic series
// (tests/unit/bench-pipeline-bounded.test.ts).
//
// Lag under streaming writes is a saw-tooth: it grows by rate × interval between checkpoints and drops at each
// commit. Its peaks say nothing about a backlog; its troughs do. The rule:
// - skip the step's first checkpoint interval (the previous step's tail);
// - cut the rest into whole windows of two checkpoint intervals (each holds at least one commit even when a
//   checkpoint runs late) and take each window's minimum: the troughs;
// - bounded iff the least-squares slope of the troughs is under 10% of the rate (a real backlog grows at
//   rate − capacity), and the last trough is under two checkpoints' worth of events.
// Resolution: a warehouse short of the rate by less than 10% can pass a step; on a 45 s step that backlog is under
// one checkpoint's worth of events by its end.

export interface LagPoint {
  /** seconds */
  t: number;
  /** events acknowledged but not yet committed to the warehouse */
  lag: number;
}

export interface StepVerdict {
  bounded: boolean;
  /** least-squares growth of the troughs, events/s */
  slope: number;
  /** the last window's trough, events */
  trough: number;
  maxLag: number;
  troughs: LagPoint[];
  reason: string;
}

export const SLOPE_SHARE = 0.1;
export const TROUGH_CHECKPOINTS = 2;

export function stepVerdict(points: readonly LagPoint[], rate: number, checkpointS: number): StepVerdict {
  const maxLag = points.reduce((m, p) => Math.max(m, p.lag), 0);
  if (points.length === 0) return { bounded: false, slope: NaN, trough: NaN, maxLag, troughs: [], reason: "no samples" };
  const window = 2 * checkpointS;
  const from = points[0]!.t + checkpointS;
  const end = points.at(-1)!.t;
  const troughs: LagPoint[] = [];
  for (let w = from; w + window <= end + 1e-9; w += window) {
    const inside = points.filter((p) => p.t >= w && p.t < w + window);
    if (inside.length > 0) troughs.push(inside.reduce((m, p) => (p.lag < m.lag ? p : m)));
  }
  if (troughs.length < 3) return { bounded: false, slope: NaN, trough: NaN, maxLag, troughs, reason: `only ${troughs.length} windows: the step is too short` };
  const slope = leastSquaresSlope(troughs);
  const trough = troughs.at(-1)!.lag;
  const slopeOk = slope < SLOPE_SHARE * rate;
  const troughOk = trough < TROUGH_CHECKPOINTS * checkpointS * rate;
  const reason = !slopeOk
    ? `troughs grow ${Math.round(slope)} events/s (≥ ${SLOPE_SHARE * 100}% of the rate)`
    : !troughOk
      ? `last trough ${trough} ≥ ${TROUGH_CHECKPOINTS} checkpoints' worth`
      : "troughs flat and low";
  return { bounded: slopeOk && troughOk, slope, trough, maxLag, troughs, reason };
}

function leastSquaresSlope(ps: readonly LagPoint[]): number {
  const n = ps.length;
  const mt = ps.reduce((s, p) => s + p.t, 0) / n;
  const ml = ps.reduce((s, p) => s + p.lag, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of ps) {
    num += (p.t - mt) * (p.lag - ml);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
