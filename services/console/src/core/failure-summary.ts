import type { RejectionSummaryFields } from "@trackway/envelope";

/** What the Failures page needs of one rejected event: the rejected record's contract, without its bytes. */
export type Rejection = RejectionSummaryFields;

/** Rejections grouped for the page: totals by reason and event, a per-bucket series by reason, newest examples. */
export interface FailureSummary {
  total: number;
  since: number;
  bucketMs: number;
  byReason: { reason: string; count: number }[];
  byEvent: { eventName: string; count: number }[];
  bySource: { source: string; count: number }[];
  /** Bucket starts (ms), oldest first, and one count per bucket for each reason. */
  series: { buckets: number[]; reasons: { reason: string; counts: number[] }[] };
  examples: Rejection[];
}

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
