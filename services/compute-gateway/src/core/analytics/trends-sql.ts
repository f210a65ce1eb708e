import { Refusal } from "../refusal.js";
import { stringLiteral, timestampLiteral } from "../sql-literal.js";
import { bucketExpr, rangeFilter, type Period, type Range } from "./buckets.js";
import { dwsTableFor } from "./dws-route.js";
import { breakdownText, fieldSql, filterSql, sourceView, type FieldSpec, type FilterSpec } from "./fields.js";
import { dwsSource, odsSource, withFreshness, type Source } from "./freshness.js";

/** What a trend series measures per bucket. */
export type TrendMeasure = "TOTAL" | "UNIQUE_USERS" | "SUM" | "AVG" | "MIN" | "MAX" | "PERCENTILE";

/** One series: an event and a measure, with its own filters. */
export interface SeriesSpec {
  eventName: string;
  measure: TrendMeasure;
  property?: string;
  /** For PERCENTILE: 0 (exclusive) to 100. */
  percentile?: number;
  filters: FilterSpec[];
}

/** A trends question. */
export interface TrendsSpec {
  range: Range;
  period: Period;
  series: SeriesSpec[];
  filters: FilterSpec[];
  breakdown?: FieldSpec;
  /** Top this many breakdown values per series; the rest are `$other`. */
  limit: number;
}

/** Most series in one request, and most breakdown values kept. */
export const MAX_SERIES = 10;
export const MAX_BREAKDOWN_LIMIT = 100;
/** The breakdown value of the values beyond the top N. */
export const OTHER = "$other";

const AGG: Record<Exclude<TrendMeasure, "PERCENTILE">, string> = {
  TOTAL: "COUNT(*)",
  UNIQUE_USERS: "COUNT(DISTINCT user_key)",
  SUM: "SUM(v)",
  AVG: "AVG(v)",
  MIN: "MIN(v)",
  MAX: "MAX(v)",
};

function checkSeries(s: SeriesSpec, i: number): void {
  if (s.eventName.trim() === "") throw new Refusal("ARGUMENT_INVALID", `series ${i}: event_name is required`);
  const numeric = !["TOTAL", "UNIQUE_USERS"].includes(s.measure);
  if (numeric && !s.property) throw new Refusal("ARGUMENT_INVALID", `series ${i}: ${s.measure} needs a numeric property`);
  if (!numeric && s.property) throw new Refusal("ARGUMENT_INVALID", `series ${i}: ${s.measure} takes no property`);
  if (s.measure === "PERCENTILE" && !(s.percentile! > 0 && s.percentile! <= 100)) {
    throw new Refusal("ARGUMENT_INVALID", `series ${i}: percentile must be above 0 and at most 100`);
  }
}

/** One series' rows (series, bucket_start, breakdown, value) from ods_events or the event's typed view. */
function eventSeriesSql(spec: TrendsSpec, s: SeriesSpec, i: number): string[] {
  const filters = [...spec.filters, ...s.filters];
  const fields = [...filters.map((f) => f.field), ...(spec.breakdown ? [spec.breakdown] : []), ...(s.property ? [{ property: s.property }] : [])];
  const { view, typed } = sourceView(s.eventName, fields);
  const bv = spec.breakdown ? breakdownText(fieldSql(spec.breakdown, typed)) : "''";
  const v = s.property ? `CAST(${fieldSql({ property: s.property }, typed)} AS DOUBLE)` : "CAST(NULL AS DOUBLE)";
  const where = [rangeFilter(spec.range), `event_name = ${stringLiteral(s.eventName)}`, ...filters.map((f) => `(${filterSql(f, typed)})`)];
  const base = `SELECT ${bucketExpr(spec.period)} AS bucket_start, ${bv} AS bv, user_key, ${v} AS v FROM ${view} WHERE ${where.join(" AND ")}`;
  let rows = `(${base})`;
  if (spec.breakdown) {
    // Top N values by events over the whole range; every other value is folded into $other.
    const top = `SELECT bv FROM (SELECT bv, ROW_NUMBER() OVER (ORDER BY n DESC, bv) AS rn FROM (SELECT bv, COUNT(*) AS n FROM ${rows} GROUP BY bv)) WHERE rn <= ${spec.limit}`;
    rows = `(SELECT b.bucket_start, CASE WHEN t.bv IS NULL THEN ${stringLiteral(OTHER)} ELSE b.bv END AS bv, b.user_key, b.v FROM ${rows} AS b LEFT JOIN (${top}) AS t ON b.bv = t.bv)`;
  }
  if (s.measure === "PERCENTILE") {
    // Nearest rank: the smallest value whose rank reaches p% of the bucket's values.
    const ranked = `SELECT bucket_start, bv, v, ROW_NUMBER() OVER (PARTITION BY bucket_start, bv ORDER BY v) AS rn, COUNT(*) OVER (PARTITION BY bucket_start, bv) AS cnt FROM ${rows} WHERE v IS NOT NULL`;
    return [`SELECT ${i} AS series, bucket_start, bv, CAST(MIN(v) AS DOUBLE) AS val FROM (${ranked}) WHERE rn >= CEIL(${s.percentile! / 100} * cnt) GROUP BY bucket_start, bv`];
  }
  return [`SELECT ${i} AS series, bucket_start, bv, CAST(${AGG[s.measure]} AS DOUBLE) AS val FROM ${rows} GROUP BY bucket_start, bv`];
}

/** One series read from a DWS table: events add up over the table's buckets; distinct users are read as they are. */
function dwsSeriesSql(spec: TrendsSpec, s: SeriesSpec, i: number, table: string): string {
  const agg = s.measure === "TOTAL" ? "SUM(event_count)" : "SUM(unique_users)";
  const where = [
    `bucket_start >= ${timestampLiteral(spec.range.start)}`,
    `bucket_start < ${timestampLiteral(spec.range.end)}`,
    `event_name = ${stringLiteral(s.eventName)}`,
  ];
  return `SELECT ${i} AS series, ${bucketExpr(spec.period, "bucket_start")} AS bucket_start, '' AS bv, CAST(${agg} AS DOUBLE) AS val FROM ${table} WHERE ${where.join(" AND ")} GROUP BY ${bucketExpr(spec.period, "bucket_start")}`;
}

/**
 * The SQL of a trends question, one statement for every series (UNION ALL), each row also carrying the answer's
 * freshness. A series with no filter, no breakdown and a TOTAL or UNIQUE_USERS measure reads a DWS table when one
 * holds its answer (`available` lists the tenant's views). Columns: series, bucket_start, bv, val, complete_up_to.
 */
export function trendsSql(spec: TrendsSpec, available: ReadonlySet<string>): { sql: string; sources: string[] } {
  if (spec.series.length < 1 || spec.series.length > MAX_SERIES) throw new Refusal("ARGUMENT_INVALID", `a trend has 1 to ${MAX_SERIES} series, got ${spec.series.length}`);
  if (spec.limit < 1 || spec.limit > MAX_BREAKDOWN_LIMIT) throw new Refusal("ARGUMENT_INVALID", `breakdown_limit must be 1 to ${MAX_BREAKDOWN_LIMIT}`);
  spec.series.forEach(checkSeries);
  const sources = new Map<string, Source>();
  const parts = spec.series.map((s, i) => {
    const refined = spec.filters.length + s.filters.length > 0 || spec.breakdown !== undefined;
    const measure = s.measure === "TOTAL" || s.measure === "UNIQUE_USERS" ? s.measure : "OTHER";
    const table = dwsTableFor({ period: spec.period, range: spec.range, measure, refined }, available);
    if (table) {
      sources.set(table, dwsSource(table));
      return dwsSeriesSql(spec, s, i, table);
    }
    sources.set("ods_events", odsSource(spec.range.start));
    return eventSeriesSql(spec, s, i)[0]!;
  });
  return { sql: withFreshness(parts.join("\nUNION ALL\n"), [...sources.values()]), sources: [...sources.keys()] };
}
