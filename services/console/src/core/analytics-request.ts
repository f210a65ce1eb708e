import type { TrendMeasure } from "../api/wire.js";

/** A bad request from the page, in one sentence. */
export class AnalyticsRequestError extends Error {}

const fail = (message: string): never => {
  throw new AnalyticsRequestError(message);
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONDAY = 4 * DAY;
const MEASURES: readonly TrendMeasure[] = ["TOTAL", "UNIQUE_USERS"];
const NAME = /^[A-Za-z_][\w.]*$/;

/** A whole number in [min, max], or the fallback when absent. */
export function wholeNumber(v: unknown, name: string, min: number, max: number, fallback: number): number {
  const n = v === undefined || v === null || v === "" ? fallback : Number(v);
  return Number.isInteger(n) && n >= min && n <= max ? n : fail(`${name} must be a whole number from ${min} to ${max}`);
}

/** The page's trends form, checked: 1 to 5 series, the last `hours` up to the end of the current bucket, HOUR or DAY buckets. */
export function trendsForm(b: Record<string, unknown>, now: number) {
  const granularity = b.granularity === "DAY" ? "DAY" : b.granularity === undefined || b.granularity === "HOUR" ? "HOUR" : fail("granularity must be HOUR or DAY");
  const raw = Array.isArray(b.series) ? (b.series as unknown[]) : [];
  const series = raw.map((s) => {
    const { eventName, measure = "TOTAL" } = (s ?? {}) as { eventName?: unknown; measure?: unknown };
    if (typeof eventName !== "string" || !NAME.test(eventName.trim())) fail("each series needs an event name (letters, digits, _ and .)");
    if (!MEASURES.includes(measure as TrendMeasure)) fail(`measure must be one of ${MEASURES.join(", ")}`);
    return { eventName: (eventName as string).trim(), measure: measure as TrendMeasure };
  });
  if (series.length < 1 || series.length > 5) fail("a trend has 1 to 5 series");
  const hours = wholeNumber(b.hours, "hours", 1, 24 * 90, 24);
  const step = granularity === "DAY" ? DAY : HOUR;
  const end = Math.ceil(now / step) * step;
  const start = Math.floor((end - hours * HOUR) / step) * step;
  const breakdown = typeof b.breakdown === "string" ? b.breakdown.trim() : "";
  if (breakdown !== "" && !NAME.test(breakdown.replace(/^(header|property):/, ""))) fail("breakdown is header:<column> or property:<field>");
  return { start: new Date(start), end: new Date(end), granularity, series, breakdown } as const;
}

/** The breakdown field of a form value: `header:os_name`, `property:plan`, or a bare name (a header column). */
export function breakdownField(v: string): { header: string } | { property: string } | undefined {
  if (v === "") return undefined;
  if (v.startsWith("property:")) return { property: v.slice("property:".length) };
  return { header: v.replace(/^header:/, "") };
}

/** The page's retention form, checked: cohorts per DAY or WEEK over the last `periods` periods, followed `periods` periods. */
export function retentionForm(b: Record<string, unknown>, now: number) {
  const period = b.period === "WEEK" ? "WEEK" : b.period === undefined || b.period === "DAY" ? "DAY" : fail("period must be DAY or WEEK");
  const periods = wholeNumber(b.periods, "periods", 1, 30, 7);
  const event = (v: unknown, name: string) => {
    const s = typeof v === "string" ? v.trim() : "";
    return s === "" || NAME.test(s) ? s : fail(`${name} must be an event name, or empty for any event`);
  };
  const size = period === "WEEK" ? WEEK : DAY;
  // Whole periods (ISO weeks start on Monday; 1970-01-05 was one), the current one included: its cohort is still filling.
  const offset = period === "WEEK" ? MONDAY : 0;
  const end = Math.floor((now - offset) / size) * size + offset + size;
  const start = end - (periods + 1) * size;
  return { start: new Date(start), end: new Date(end), period, periods, cohortEvent: event(b.cohortEvent, "cohortEvent"), returnEvent: event(b.returnEvent, "returnEvent") } as const;
}
