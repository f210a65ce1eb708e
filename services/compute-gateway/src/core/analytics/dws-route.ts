import { bucketStart, type Period, type Range } from "./buckets.js";

/** The DWS tables analytics may answer from: events and distinct users per tenant, event name and bucket. */
export const DWS_ACTIVITY = { HOUR: "dws_event_activity_hourly", DAY: "dws_event_activity_daily" } as const;

/** What a question asks for, as far as choosing its table goes. */
export interface Question {
  period: Period;
  range: Range;
  measure: "TOTAL" | "UNIQUE_USERS" | "OTHER";
  /** Filters or a breakdown beyond event names: only ods_events and the dwd views have those columns. */
  refined: boolean;
}

const aligned = (p: Period, t: Date) => bucketStart(p, t).getTime() === t.getTime();

/**
 * The DWS table that answers a question exactly, if any (else undefined: read ods_events). Counts add up, so
 * a daily table answers weeks and months too; distinct users do not, so they come only from a table of the
 * question's own bucket size. The range must start and end on the table's bucket bounds.
 */
export function dwsTableFor(q: Question, available: ReadonlySet<string>): string | undefined {
  if (q.refined || q.measure === "OTHER" || q.period === "MINUTE") return undefined;
  const grain: "HOUR" | "DAY" = q.period === "HOUR" ? "HOUR" : "DAY";
  if (q.measure === "UNIQUE_USERS" && grain !== q.period) return undefined;
  if (!aligned(grain, q.range.start) || !aligned(grain, q.range.end)) return undefined;
  const table = DWS_ACTIVITY[grain];
  return available.has(table) ? table : undefined;
}
