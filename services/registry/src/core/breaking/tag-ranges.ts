import type { NumberRange } from "./model.js";

/** For each previous range not fully covered by the current ranges, the parts that are gone (buf's checkTagRanges). */
export function missingRanges(previous: readonly NumberRange[], current: readonly NumberRange[]): { range: NumberRange; missing: NumberRange[] }[] {
  const collapsed = collapse(current);
  const out: { range: NumberRange; missing: NumberRange[] }[] = [];
  for (const range of previous) {
    const missing = findMissing(range, collapsed);
    if (missing.length > 0) out.push({ range, missing });
  }
  return out;
}

/** Whether a number falls in one of the ranges. */
export function inRanges(n: number, ranges: readonly NumberRange[]): boolean {
  return ranges.some(([s, e]) => n >= s && n <= e);
}

/** `[5]`, `[5,9]` or `[5,max]`, as buf prints ranges. */
export function rangeString([s, e]: NumberRange, max: number): string {
  return s === e ? `[${s}]` : e === max ? `[${s},max]` : `[${s},${e}]`;
}

/** Sorted, with overlapping and adjacent ranges merged. */
function collapse(ranges: readonly NumberRange[]): [number, number][] {
  const sorted = ranges.map(([s, e]) => [s, e] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push(r);
  }
  return out;
}

/** The parts of [start, end] that no collapsed range covers. */
function findMissing([start, end]: NumberRange, collapsed: readonly [number, number][]): NumberRange[] {
  const missing: NumberRange[] = [];
  let from = start;
  for (const [s, e] of collapsed) {
    if (e < from) continue;
    if (s > end) break;
    if (s > from) missing.push([from, s - 1]);
    from = e + 1;
    if (from > end) return missing;
  }
  if (from <= end) missing.push([from, end]);
  return missing;
}
