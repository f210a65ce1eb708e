import {
  FilterOperator,
  Granularity,
  Measure,
  PathDirection,
  type FieldRef,
  type Filter,
  type Freshness,
  type TrendsRequest,
} from "@trackway/proto/compute/v1";
import { JsonNumber, type LosslessValue } from "@trackway/flink";
import { Refusal } from "../core/refusal.js";
import { parseTimestamp } from "../core/result-values.js";
import type { Period } from "../core/analytics/buckets.js";
import type { FieldSpec, FilterOp, FilterSpec } from "../core/analytics/fields.js";
import type { TrendMeasure, TrendsSpec } from "../core/analytics/trends-sql.js";
import { checkPeriodRange } from "../core/analytics/buckets.js";

const PERIOD: Record<number, Period> = {
  [Granularity.GRANULARITY_MINUTE]: "MINUTE",
  [Granularity.GRANULARITY_HOUR]: "HOUR",
  [Granularity.GRANULARITY_DAY]: "DAY",
  [Granularity.GRANULARITY_WEEK]: "WEEK",
  [Granularity.GRANULARITY_MONTH]: "MONTH",
};

/** The bucket size of a request (unset: `fallback`); an unknown enum value is refused. */
export function periodOf(g: Granularity, fallback: Period = "HOUR"): Period {
  if (g === Granularity.GRANULARITY_UNSPECIFIED) return fallback;
  const p = PERIOD[g];
  if (!p) throw new Refusal("ARGUMENT_INVALID", `unknown granularity ${g}`);
  return p;
}

/** A FieldRef as the core's field; refuses an empty one. */
export function fieldOf(f: FieldRef | undefined, what: string): FieldSpec {
  const k = f?.kind;
  if (!k || k.value.trim() === "") throw new Refusal("ARGUMENT_INVALID", `${what} needs a header column or a property`);
  return k.$case === "header" ? { header: k.value } : { property: k.value };
}

const OPS: Record<number, FilterOp> = {
  [FilterOperator.FILTER_OPERATOR_UNSPECIFIED]: "EQUALS",
  [FilterOperator.FILTER_OPERATOR_EQUALS]: "EQUALS",
  [FilterOperator.FILTER_OPERATOR_NOT_EQUALS]: "NOT_EQUALS",
  [FilterOperator.FILTER_OPERATOR_GREATER]: "GREATER",
  [FilterOperator.FILTER_OPERATOR_LESS]: "LESS",
  [FilterOperator.FILTER_OPERATOR_IS_SET]: "IS_SET",
  [FilterOperator.FILTER_OPERATOR_IS_NOT_SET]: "IS_NOT_SET",
  [FilterOperator.FILTER_OPERATOR_CONTAINS]: "CONTAINS",
};

/** Filters as the core's; an unknown operator is refused. */
export function filtersOf(filters: readonly Filter[]): FilterSpec[] {
  if (filters.length > 20) throw new Refusal("ARGUMENT_INVALID", "at most 20 filters");
  return filters.map((f) => {
    const op = OPS[f.operator];
    if (!op) throw new Refusal("ARGUMENT_INVALID", `unknown filter operator ${f.operator}`);
    return { field: fieldOf(f.field, "a filter"), op, values: f.values };
  });
}

const MEASURES: Record<number, TrendMeasure> = {
  [Measure.MEASURE_UNSPECIFIED]: "TOTAL",
  [Measure.MEASURE_TOTAL]: "TOTAL",
  [Measure.MEASURE_UNIQUE_USERS]: "UNIQUE_USERS",
  [Measure.MEASURE_SUM]: "SUM",
  [Measure.MEASURE_AVG]: "AVG",
  [Measure.MEASURE_MIN]: "MIN",
  [Measure.MEASURE_MAX]: "MAX",
  [Measure.MEASURE_PERCENTILE]: "PERCENTILE",
};

/** A TrendsRequest as the core's question. */
export function trendsSpecOf(req: TrendsRequest): TrendsSpec {
  const period = periodOf(req.granularity);
  return {
    range: checkPeriodRange(req.range, period),
    period,
    series: req.series.map((s, i) => {
      const measure = MEASURES[s.measure];
      if (!measure) throw new Refusal("ARGUMENT_INVALID", `series ${i}: unknown measure ${s.measure}`);
      return { eventName: s.eventName, measure, ...(s.property ? { property: s.property } : {}), percentile: s.percentile, filters: filtersOf(s.filters) };
    }),
    filters: filtersOf(req.filters),
    ...(req.breakdown ? { breakdown: fieldOf(req.breakdown, "breakdown") } : {}),
    limit: req.breakdownLimit === 0 ? 10 : req.breakdownLimit,
  };
}

/** NEXT or PREVIOUS. */
export const directionOf = (d: PathDirection): "NEXT" | "PREVIOUS" => (d === PathDirection.PATH_DIRECTION_PREVIOUS ? "PREVIOUS" : "NEXT");

/** A result cell as a number. */
export const num = (v: LosslessValue | undefined): number => (v instanceof JsonNumber ? v.toNumber() : Number(v ?? 0));
/** A result cell as an instant. */
export const time = (v: LosslessValue | undefined): Date | undefined => (typeof v === "string" ? parseTimestamp(v) : undefined);

/** The freshness message of an answer. */
export const freshnessOf = (completeUpTo: LosslessValue | undefined, sources: readonly string[]): Freshness => ({
  ...(time(completeUpTo) ? { completeUpTo: time(completeUpTo) } : {}),
  source: sources.join(","),
});
