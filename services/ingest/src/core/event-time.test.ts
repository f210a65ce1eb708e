import { describe, expect, it } from "vitest";
import { resolveEventTime } from "./event-time.js";
import { DEFAULT_LIMITS } from "./limits.js";

const received = Date.parse("2026-11-25T10:00:05.000Z");
const d = (iso: string) => new Date(iso);

describe("resolveEventTime", () => {
  it("corrects the event time by the client's clock skew", () => {
    const r = resolveEventTime(d("2026-11-25T09:59:58Z"), d("2026-11-25T10:00:00Z"), received, DEFAULT_LIMITS);
    expect(r).toMatchObject({ ok: true, eventTime: Date.parse("2026-11-25T10:00:03Z"), skewMs: 5000, clamped: false });
  });

  it("gives a device whose clock reads 1970 its true time: both of its times are off alike", () => {
    const r = resolveEventTime(d("1970-01-01T00:00:05Z"), d("1970-01-01T00:00:10Z"), received, DEFAULT_LIMITS);
    expect(r).toMatchObject({ ok: true, eventTime: received - 5000, clientEventTime: 5000, clamped: false });
  });

  it("clamps to the receive time, not to 2083, when only sent_at is in 1970", () => {
    const r = resolveEventTime(d("2026-11-25T10:00:00Z"), d("1970-01-01T00:00:00Z"), received, DEFAULT_LIMITS);
    expect(r).toMatchObject({ ok: true, eventTime: received, clamped: true });
  });

  it("clamps an event time far in the future and keeps one within the tolerance", () => {
    expect(resolveEventTime(d("2027-01-01T00:00:00Z"), undefined, received, DEFAULT_LIMITS)).toMatchObject({ ok: true, eventTime: received, clamped: true });
    const soon = received + 30 * 60_000;
    expect(resolveEventTime(new Date(soon), undefined, received, DEFAULT_LIMITS)).toMatchObject({ ok: true, eventTime: soon, clamped: false });
  });

  it("refuses year 0001, year 10000 and times no calendar holds", () => {
    for (const t of [new Date(Date.UTC(1, 0, 1) - 1_900 * 365 * 86_400_000), d("0001-01-01T00:00:00Z"), new Date(Date.UTC(10000, 0, 1)), new Date(9e15), new Date(NaN)]) {
      expect(resolveEventTime(t, undefined, received, DEFAULT_LIMITS).ok).toBe(false);
      expect(resolveEventTime(d("2026-11-25T10:00:00Z"), t, received, DEFAULT_LIMITS).ok).toBe(false);
    }
  });

  it("refuses a corrected time older than the accepted age and takes the receive time without any client time", () => {
    expect(resolveEventTime(d("2000-01-01T00:00:00Z"), undefined, received, DEFAULT_LIMITS)).toMatchObject({ ok: false });
    expect(resolveEventTime(d("2020-01-01T00:00:00Z"), undefined, received, DEFAULT_LIMITS)).toMatchObject({ ok: true, clamped: false });
    expect(resolveEventTime(undefined, undefined, received, DEFAULT_LIMITS)).toEqual({ ok: true, eventTime: received, clientEventTime: undefined, sentAt: undefined, skewMs: undefined, clamped: false });
  });
});
