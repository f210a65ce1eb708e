/** A key's rates; 0 turns a limit off. */
export interface RateLimits {
  eventsPerSecond: number;
  bytesPerSecond: number;
}

/** The verdict on a batch: admitted, or refused with how long to wait before trying again. */
export type RateDecision = { ok: true } | { ok: false; limit: "events" | "bytes"; retryAfterMs: number };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets per key, one for events and one for bytes, each holding one second of its rate. A batch is
 * admitted when both buckets hold its cost; a batch costing more than a full bucket is admitted when the bucket is
 * full, leaving it in debt, so that no batch is refused forever. A refusal says when the bucket will hold enough.
 * Pure: the clock is passed in.
 */
export class KeyRateLimiter {
  private readonly buckets = new Map<string, { events: Bucket; bytes: Bucket }>();

  constructor(private readonly maxKeys = 100_000) {}

  /** Charges `events` and `bytes` to `key` at time `now` (ms) under `limits`, or says how long to wait. */
  take(key: string, limits: RateLimits, events: number, bytes: number, now: number): RateDecision {
    if (limits.eventsPerSecond <= 0 && limits.bytesPerSecond <= 0) return { ok: true };
    let b = this.buckets.get(key);
    if (!b) {
      b = { events: { tokens: limits.eventsPerSecond, at: now }, bytes: { tokens: limits.bytesPerSecond, at: now } };
      this.buckets.set(key, b);
      // Oldest first: keys that stopped sending go before active ones.
      if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    }
    const waitEvents = wait(b.events, limits.eventsPerSecond, events, now);
    const waitBytes = wait(b.bytes, limits.bytesPerSecond, bytes, now);
    if (waitEvents > 0 || waitBytes > 0) {
      return waitEvents >= waitBytes ? { ok: false, limit: "events", retryAfterMs: waitEvents } : { ok: false, limit: "bytes", retryAfterMs: waitBytes };
    }
    if (limits.eventsPerSecond > 0) b.events.tokens -= events;
    if (limits.bytesPerSecond > 0) b.bytes.tokens -= bytes;
    return { ok: true };
  }
}

/** Refills the bucket to `now`; returns 0 when it can pay `cost`, else the ms until it can. */
function wait(b: Bucket, rate: number, cost: number, now: number): number {
  if (rate <= 0) return 0;
  b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
  b.at = now;
  const needed = Math.min(cost, rate);
  return b.tokens >= needed ? 0 : Math.ceil(((needed - b.tokens) / rate) * 1000);
}
