import { describe, expect, it } from "vitest";
import { stepVerdict, type LagPoint } from "../../bench/pipeline/bounded.js";

// Synthetic lag series sampled every 500 ms over a 45 s step, 5 s checkpoints.
const RATE = 1000;
const CP = 5;

/** The warehouse commits at `commits` (seconds); each commit takes what had arrived `delayS` before it, up to `capacity` events/s on average. */
function series(opts: { capacity: number; commits: number[]; delayS?: number; startBacklog?: number }): LagPoint[] {
  const delay = opts.delayS ?? 1;
  const points: LagPoint[] = [];
  let committed = -(opts.startBacklog ?? 0);
  let next = 0;
  for (let t = 0; t <= 45; t += 0.5) {
    while (next < opts.commits.length && opts.commits[next]! <= t) {
      const c = opts.commits[next]!;
      // Committed events can only be the ones offered by (c − delay), and no more than capacity × c in total.
      committed = Math.max(committed, Math.min(RATE * Math.max(0, c - delay), opts.capacity * c - (opts.startBacklog ?? 0)));
      next++;
    }
    points.push({ t, lag: Math.max(0, RATE * t - committed) });
  }
  return points;
}
const every = (s: number, jitter: (i: number) => number = () => 0) => Array.from({ length: 20 }, (_, i) => (i + 1) * s + jitter(i));

describe("bench/pipeline bounded-lag rule", () => {
  it("passes a saw-tooth that keeps up: commits every checkpoint", () => {
    const v = stepVerdict(series({ capacity: 3 * RATE, commits: every(CP) }), RATE, CP);
    expect(v.maxLag).toBeGreaterThanOrEqual(RATE * CP); // peaks a full checkpoint high
    expect(v.bounded).toBe(true);
  });

  it("passes a saw-tooth whose checkpoints run late and irregularly", () => {
    const late = [0, 2.5, 1, 3, 0.5, 2, 0, 3, 1.5, 2.5, 0, 1, 3, 2, 0.5, 1, 2, 0, 3, 1];
    const commits = every(CP, (i) => late[i]!);
    const v = stepVerdict(series({ capacity: 3 * RATE, commits, delayS: 2 }), RATE, CP);
    expect(v.bounded).toBe(true);
  });

  it("fails a real backlog: capacity at 80% of the rate", () => {
    const v = stepVerdict(series({ capacity: 0.8 * RATE, commits: every(CP) }), RATE, CP);
    expect(v.bounded).toBe(false);
    expect(v.slope).toBeGreaterThan(0.15 * RATE);
  });

  it("fails a backlog at 85% of the rate even though it starts empty", () => {
    const v = stepVerdict(series({ capacity: 0.85 * RATE, commits: every(CP) }), RATE, CP);
    expect(v.bounded).toBe(false);
  });

  it("fails a flat but large backlog carried from the step before", () => {
    const v = stepVerdict(series({ capacity: RATE, commits: every(CP), startBacklog: 15_000 }), RATE, CP);
    expect(v.bounded).toBe(false);
    expect(v.reason).toMatch(/last trough/);
  });

  it("passes a backlog that drains within the step", () => {
    const v = stepVerdict(series({ capacity: 2 * RATE, commits: every(CP), startBacklog: 15_000 }), RATE, CP);
    expect(v.slope).toBeLessThan(0);
    expect(v.bounded).toBe(true);
  });

  it("refuses to judge a step too short to hold three windows", () => {
    const v = stepVerdict(series({ capacity: 3 * RATE, commits: every(CP) }).filter((p) => p.t <= 20), RATE, CP);
    expect(v.bounded).toBe(false);
    expect(v.reason).toMatch(/too short/);
  });
});
