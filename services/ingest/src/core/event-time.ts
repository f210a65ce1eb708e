/**
 * The clock-skew rule: which event times ingest accepts, corrects or clamps, so that every acknowledged
 * event has a time the warehouse can store and read back unchanged.
 *
 * 1. Every time the client sends (`event_time`, `sent_at`) must lie within [1970-01-01, 9999-12-31] UTC, the
 *    range every layer (JSON epoch millis, Flink TIMESTAMP(3), Hudi/Parquet) holds exactly; otherwise the event
 *    is refused with `EVENT_TIME_OUT_OF_RANGE`.
 * 2. The event time is corrected for the client's clock: `event_time + (received_at - sent_at)`. Both times come
 *    from the same clock, so a device whose clock reads 1970 still gets its true time.
 * 3. A corrected time more than `maxFutureMs` after the receive time (the two client times disagree, e.g. a
 *    `sent_at` of 1970 with a correct `event_time`) is clamped to the receive time, with the warning
 *    `EVENT_TIME_CLAMPED` stored with the event.
 * 4. A corrected time more than `maxAgeMs` before the receive time is older than the retention the warehouse
 *    accepts: refused with `EVENT_TIME_OUT_OF_RANGE`.
 */
export interface TimeRules {
  /** How far after the receive time a corrected event time may lie before it is clamped. */
  maxFutureMs: number;
  /** How far before the receive time a corrected event time may lie before it is refused. */
  maxAgeMs: number;
}

/** The earliest time a client may send: the Unix epoch. */
export const MIN_CLIENT_TIME_MS = 0;
/** The latest time a client may send: the last millisecond of year 9999 UTC. */
export const MAX_CLIENT_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** An event's times, resolved: what is stored, or why the event is refused. */
export type ResolvedTime =
  | { ok: true; eventTime: number; clientEventTime?: number; sentAt?: number; skewMs?: number; clamped: boolean }
  | { ok: false; message: string };

const storable = (ms: number): boolean => Number.isFinite(ms) && ms >= MIN_CLIENT_TIME_MS && ms <= MAX_CLIENT_TIME_MS;
const iso = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString() : "a time beyond any calendar");

/** Applies the clock-skew rule to an event's client times and its receive time. */
export function resolveEventTime(eventTime: Date | undefined, sentAt: Date | undefined, receivedAt: number, rules: TimeRules): ResolvedTime {
  const client = eventTime?.getTime();
  const sent = sentAt?.getTime();
  if (eventTime && !storable(client!)) return { ok: false, message: `event_time ${iso(client!)} is outside 1970-01-01..9999-12-31 UTC` };
  if (sentAt && !storable(sent!)) return { ok: false, message: `sent_at ${iso(sent!)} is outside 1970-01-01..9999-12-31 UTC` };
  const skewMs = sent === undefined ? undefined : receivedAt - sent;
  const corrected = client === undefined ? receivedAt : client + (skewMs ?? 0);
  if (corrected < receivedAt - rules.maxAgeMs) {
    return { ok: false, message: `event time ${iso(corrected)} (after clock-skew correction) is older than the accepted ${Math.round(rules.maxAgeMs / 86_400_000)} days` };
  }
  const clamped = corrected > receivedAt + rules.maxFutureMs;
  return { ok: true, eventTime: clamped ? receivedAt : corrected, clientEventTime: client, sentAt: sent, skewMs, clamped };
}
