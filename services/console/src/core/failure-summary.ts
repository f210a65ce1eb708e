import type { FailureSummary, Rejection } from "../api/wire.js";

export type { FailureSummary, Rejection };

const ranked = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

/** Summarises the rejections received at or after `since`, in buckets of `bucketMs`, up to `now`. */
export function summarizeFailures(all: readonly Rejection[], since: number, now: number, bucketMs: number, examples = 20): FailureSummary {
  const rows = all.filter((r) => r.received_at >= since && r.received_at <= now);
  const first = Math.floor(since / bucketMs) * bucketMs;
  const buckets: number[] = [];
  for (let t = first; t <= now; t += bucketMs) buckets.push(t);
  const reasons = new Map<string, number>();
  const events = new Map<string, number>();
  const sources = new Map<string, number>();
  const perReason = new Map<string, number[]>();
  for (const r of rows) {
    reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
    const name = r.event_name ?? "(unparsed)";
    events.set(name, (events.get(name) ?? 0) + 1);
    const source = r.client_ip ?? "(unknown)";
    sources.set(source, (sources.get(source) ?? 0) + 1);
    const counts = perReason.get(r.reason) ?? perReason.set(r.reason, new Array<number>(buckets.length).fill(0)).get(r.reason)!;
    const i = Math.floor((r.received_at - first) / bucketMs);
    if (i >= 0 && i < counts.length) counts[i]!++;
  }
  return {
    total: rows.length,
    since,
    bucketMs,
    byReason: ranked(reasons).map(([reason, count]) => ({ reason, count })),
    byEvent: ranked(events).map(([eventName, count]) => ({ eventName, count })),
    bySource: ranked(sources).map(([source, count]) => ({ source, count })),
    series: { buckets, reasons: ranked(reasons).map(([reason]) => ({ reason, counts: perReason.get(reason)! })) },
    examples: [...rows].sort((a, b) => b.received_at - a.received_at).slice(0, examples),
  };
}
