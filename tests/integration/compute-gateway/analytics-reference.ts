import type { SeedEvent } from "./harness.js";

/** Reference answers computed from the events a test sent, independently of the gateway's SQL. */

const DAY = 86_400_000;
const byTime = (x: SeedEvent, y: SeedEvent) => x.at - y.at || x.event_name.localeCompare(y.event_name);

/** Start of an instant's UTC day, or of its ISO week (Monday). */
export const dayOf = (t: number) => Math.floor(t / DAY) * DAY;
export const weekOf = (t: number) => dayOf(t) - ((new Date(dayOf(t)).getUTCDay() + 6) % 7) * DAY;
export const hourOf = (t: number) => Math.floor(t / 3_600_000) * 3_600_000;

/** Groups values by a key. */
export function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.ceil((p / 100) * s.length) - 1]!;
}

/** A property of an event, as text, `(none)` when missing. */
export const prop = (e: SeedEvent, name: string): string => {
  const v = e.properties?.[name];
  return v === undefined || v === null ? "(none)" : String(v);
};

/** Top N values by events, others as `$other`. */
export function topValues(events: readonly SeedEvent[], value: (e: SeedEvent) => string, n: number): (e: SeedEvent) => string {
  const counts = [...groupBy(events, value)].map(([v, es]) => [v, es.length] as const).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const top = new Set(counts.slice(0, n).map(([v]) => v));
  return (e) => (top.has(value(e)) ? value(e) : "$other");
}

/**
 * Funnel per (user, breakdown value): which steps each reached, and the seconds each step took. `firstTouch`: the
 * value is only the first step's (a typed property), and the later steps are any of the user's events.
 */
export function funnelReference(events: readonly SeedEvent[], steps: string[], range: { start: Date; end: Date }, windowMs: number, bv: (e: SeedEvent) => string, firstTouch = false) {
  const reached = new Map<string, { user: string; bv: string; dts: number[] }>();
  const relevant = events.filter((e) => steps.includes(e.event_name));
  const starts = relevant.filter((e) => e.event_name === steps[0] && e.at >= range.start.getTime() && e.at < range.end.getTime());
  for (const [key, startList] of groupBy(starts, (e) => `${e.user}|${bv(e)}`)) {
    const first = [...startList].sort(byTime)[0]!;
    const later = relevant.filter((e) => e.user === first.user && (firstTouch || bv(e) === bv(first))).sort(byTime);
    const dts = [0];
    let t = first.at;
    for (let k = 1; k < steps.length; k++) {
      const next = later.find((e) => e.event_name === steps[k] && e.at > t && e.at <= first.at + windowMs);
      if (!next) break;
      dts.push((next.at - t) / 1000);
      t = next.at;
    }
    reached.set(key, { user: first.user, bv: bv(first), dts });
  }
  return [...reached.values()];
}

/** Retention: cohort (first cohort event's day, in the range or ever) → [size, returned in period 1..n]. */
export function retentionReference(events: readonly SeedEvent[], range: { start: Date; end: Date }, cohortEvent: string, returnEvent: string, n: number, firstEver = false): Map<number, number[]> {
  const since = firstEver ? -Infinity : range.start.getTime();
  const candidates = events.filter((e) => e.at >= since && e.at < range.end.getTime() && e.event_name === cohortEvent);
  const out = new Map<number, number[]>();
  for (const [user, list] of groupBy(candidates, (e) => e.user)) {
    const firstAt = Math.min(...list.map((e) => e.at));
    if (firstAt < range.start.getTime()) continue;
    const cohort = dayOf(firstAt);
    const row = out.get(cohort) ?? Array<number>(n + 1).fill(0);
    row[0]! += 1;
    for (let k = 1; k <= n; k++) {
      const from = cohort + k * DAY;
      if (events.some((e) => e.user === user && e.event_name === returnEvent && e.at >= from && e.at < from + DAY)) row[k]! += 1;
    }
    out.set(cohort, row);
  }
  return out;
}

/** Paths: "step|from|to" → users, and the number of users who started. */
export function pathsReference(events: readonly SeedEvent[], range: { start: Date; end: Date }, start: string, next: boolean, depth: number) {
  const inRange = events.filter((e) => e.at >= range.start.getTime() && e.at < range.end.getTime());
  const edges = new Map<string, number>();
  let users = 0;
  for (const list of groupBy(inRange, (e) => e.user).values()) {
    const t0 = Math.min(...list.filter((e) => e.event_name === start).map((e) => e.at));
    if (!Number.isFinite(t0)) continue;
    users += 1;
    // Each step: the nearest event strictly later (earlier); among simultaneous ones the smallest (largest) name.
    const path = [start];
    let t = t0;
    for (let k = 0; k < depth; k++) {
      const cands = list.filter((e) => (next ? e.at > t : e.at < t));
      if (cands.length === 0) break;
      t = next ? Math.min(...cands.map((e) => e.at)) : Math.max(...cands.map((e) => e.at));
      const names = cands.filter((e) => e.at === t).map((e) => e.event_name).sort();
      path.push(next ? names[0]! : names.at(-1)!);
    }
    for (let k = 1; k < path.length; k++) edges.set(`${k}|${path[k - 1]}|${path[k]}`, (edges.get(`${k}|${path[k - 1]}|${path[k]}`) ?? 0) + 1);
  }
  return { edges, users };
}

/** Stickiness: distinct days → users. */
export function stickinessReference(events: readonly SeedEvent[], range: { start: Date; end: Date }, name: string): Map<number, number> {
  const out = new Map<number, number>();
  const mine = events.filter((e) => e.event_name === name && e.at >= range.start.getTime() && e.at < range.end.getTime());
  for (const list of groupBy(mine, (e) => e.user).values()) {
    const days = new Set(list.map((e) => dayOf(e.at))).size;
    out.set(days, (out.get(days) ?? 0) + 1);
  }
  return out;
}
