import type { Command } from "commander";
import {
  FilterOperator,
  FunnelRequest,
  Granularity,
  Measure,
  PathDirection,
  PathsRequest,
  RetentionRequest,
  StickinessRequest,
  TrendsRequest,
  type FieldRef,
  type Filter,
  type FunnelResponse,
  type PathsResponse,
  type RetentionResponse,
  type StickinessResponse,
  type TrendSeries,
  type TrendsResponse,
} from "@trackway/proto/compute/v1";
import { csv, granularity, noteFreshness, printTsv, range, ranged, seconds, withCompute, type ComputeTarget } from "./query.js";

type Ranged = ComputeTarget & { from?: string; to?: string };
const collect = (v: string, all: string[]) => [...all, v];
const int = (text: string, what: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${what} ${text}: expected a whole number`);
  return n;
};

/** `os_name` is a header column, `prop:plan` a typed property. */
export function fieldRef(text: string): FieldRef {
  return text.startsWith("prop:") ? { kind: { $case: "property", value: text.slice(5) } } : { kind: { $case: "header", value: text } };
}

const MEASURES: Record<string, Measure> = { total: Measure.MEASURE_TOTAL, users: Measure.MEASURE_UNIQUE_USERS, sum: Measure.MEASURE_SUM, avg: Measure.MEASURE_AVG, min: Measure.MEASURE_MIN, max: Measure.MEASURE_MAX };

/** `event`, `event:users`, `event:sum:prop`, `event:p90:prop` as a series. */
export function parseSeries(text: string): Partial<TrendSeries> {
  const [eventName = "", m = "total", property = ""] = text.split(":");
  const p = /^p(\d+(\.\d+)?)$/.exec(m);
  if (p) return { eventName, measure: Measure.MEASURE_PERCENTILE, percentile: Number(p[1]), property };
  const measure = MEASURES[m];
  if (measure === undefined) throw new Error(`--series ${text}: measure is one of ${Object.keys(MEASURES).join(", ")} or pNN`);
  return { eventName, measure, property };
}

/** `field=a,b`, `field!=a`, `field>5`, `field<5`, `field~text` as a filter (`prop:` prefixes a property). */
export function parseFilter(text: string): Partial<Filter> {
  const m = /^([A-Za-z_][\w.:]*?)(!=|=|>|<|~)(.*)$/.exec(text);
  if (!m) throw new Error(`--filter ${text}: expected field=value, field!=value, field>n, field<n or field~text`);
  const [, field, op, v] = m as unknown as [string, string, string, string];
  const ops: Record<string, FilterOperator> = { "=": FilterOperator.FILTER_OPERATOR_EQUALS, "!=": FilterOperator.FILTER_OPERATOR_NOT_EQUALS, ">": FilterOperator.FILTER_OPERATOR_GREATER, "<": FilterOperator.FILTER_OPERATOR_LESS, "~": FilterOperator.FILTER_OPERATOR_CONTAINS };
  const numeric = op === ">" || op === "<";
  if (numeric && !Number.isFinite(Number(v))) throw new Error(`--filter ${text}: ${op} compares with a number`);
  const values = numeric ? [{ kind: { $case: "doubleValue" as const, value: Number(v) } }] : (op === "~" ? [v] : v.split(",")).map((s) => ({ kind: { $case: "stringValue" as const, value: s } }));
  return { field: fieldRef(field), operator: ops[op]!, values };
}

/** Adds the analytics commands under `trackway query`: trends, funnel, retention, paths, stickiness. */
export function registerAnalytics(query: Command): void {
  ranged(query.command("trends"))
    .description("Series per time bucket: an event and a measure, filtered and broken down by a header column or a typed property (prop:name).")
    .requiredOption("--series <event[:measure[:property]]>", "repeatable; measure: total (default), users, sum, avg, min, max, pNN", collect, [] as string[])
    .option("--granularity <g>", "minute, hour, day, week or month", "day")
    .option("--filter <cond>", "repeatable: field=a,b  field!=a  field>n  field<n  field~text", collect, [] as string[])
    .option("--breakdown <field>", "a header column (os_name) or a typed property (prop:plan)")
    .option("--limit <n>", "top breakdown values kept; the rest are $other", "10")
    .action((o: Ranged & { series: string[]; granularity: string; filter: string[]; breakdown?: string; limit: string }) =>
      withCompute(o, async (c) => {
        const req = TrendsRequest.fromPartial({
          range: range(o), granularity: granularity(o.granularity), series: o.series.map(parseSeries), filters: o.filter.map(parseFilter),
          ...(o.breakdown ? { breakdown: fieldRef(o.breakdown) } : {}), breakdownLimit: int(o.limit, "--limit"),
        });
        const r = await c.trends(req);
        printTsv(["series", "breakdown", "bucket_start", "value"], r.points.map((p) => [o.series[p.series], p.breakdownValue, p.bucketStart?.toISOString(), Number(p.value.toFixed(3))]));
        noteFreshness(r.freshness);
      }),
    );

  ranged(query.command("funnel"))
    .description("An ordered funnel: users who did each step after the previous one, within --window of the first.")
    .requiredOption("--steps <names>", "2 to 5 event names in order, comma-separated")
    .option("--window <duration>", "time allowed from the first step to the last, e.g. 30m, 1h, 7d", "1h")
    .option("--breakdown <field>", "a header column (os_name: every step shares the value) or the first step's typed property (prop:page_type: first touch); each value is its own funnel")
    .option("--dropped-at <step>", "list the users who did the step before this one (2…) but not this one")
    .option("--actors <n>", "at most this many dropped users", "100")
    .action((o: Ranged & { steps: string; window: string; breakdown?: string; droppedAt?: string; actors: string }) =>
      withCompute(o, async (c) => {
        const req = FunnelRequest.fromPartial({
          range: range(o), steps: csv(o.steps), window: { seconds: seconds(o.window), nanos: 0 },
          ...(o.breakdown ? { breakdown: fieldRef(o.breakdown) } : {}), droppedAtStep: o.droppedAt ? int(o.droppedAt, "--dropped-at") : 0, actorsLimit: int(o.actors, "--actors"),
        });
        const r = await c.funnel(req);
        const median = (s: FunnelResponse["steps"][number]) => {
          // The bucket holding the middle user: a coarse median of the time to convert.
          let seen = 0;
          const b = s.timeToConvert.find((x) => (seen += x.users) * 2 >= s.users);
          return b ? `${b.fromSeconds}s–${b.toSeconds ? `${b.toSeconds}s` : "∞"}` : "";
        };
        const row = (breakdown: string, s: FunnelResponse["steps"][number], medianBucket: string) =>
          [breakdown, s.eventName, s.users, `${(s.conversion * 100).toFixed(1)}%`, s.meanSecondsToConvert ? `${Math.round(s.meanSecondsToConvert)}s` : "", medianBucket];
        printTsv(["breakdown", "step", "users", "conversion", "mean_time", "median_bucket"], [
          ...r.steps.map((s) => row("(all)", s, median(s))),
          ...r.breakdowns.flatMap((b) => b.steps.map((s) => row(b.value, s, ""))),
        ]);
        if (o.droppedAt) process.stdout.write(`dropped at step ${o.droppedAt}: ${r.droppedUsers.join(", ") || "(none)"}\n`);
        noteFreshness(r.freshness);
      }),
    );

  ranged(query.command("retention"))
    .description("Users grouped by the day or week they first did --cohort-event, and how many did --return-event in each later period.")
    .option("--cohort-event <name>", "the event that puts a user in a cohort (default: any event)", "")
    .option("--first-ever", "cohort by a user's first --cohort-event ever, not the first in the range (\"new users\")", false)
    .option("--return-event <name>", "the event that counts as a return (default: any event)", "")
    .option("--period <p>", "day or week", "day")
    .option("--periods <n>", "periods followed after the cohort's own", "7")
    .action((o: Ranged & { cohortEvent: string; firstEver: boolean; returnEvent: string; period: string; periods: string }) =>
      withCompute(o, async (c) => {
        const period = granularity(o.period);
        if (period !== Granularity.GRANULARITY_DAY && period !== Granularity.GRANULARITY_WEEK) throw new Error("--period: day or week");
        const req = RetentionRequest.fromPartial({ range: range(o), cohortEvent: o.cohortEvent, returnEvent: o.returnEvent, period, periods: int(o.periods, "--periods"), cohortFirstEver: o.firstEver });
        const r = await c.retention(req);
        const n = int(o.periods, "--periods");
        printTsv(
          ["cohort", "users", ...Array.from({ length: n }, (_x, i) => `+${i + 1}`)],
          r.cohorts.map((k) => [k.cohortStart?.toISOString().slice(0, 10), k.users, ...k.returned.map((x) => (k.users ? `${((x / k.users) * 100).toFixed(0)}%` : "0%"))]),
        );
        noteFreshness(r.freshness);
      }),
    );

  ranged(query.command("paths"))
    .description("The most frequent events after (or before) --start, step by step.")
    .requiredOption("--start <event>", "the event paths start from (each user's first in the range)")
    .option("--direction <d>", "next or previous", "next")
    .option("--depth <n>", "steps to follow (1 to 10)", "3")
    .option("--limit <n>", "transitions kept per step", "5")
    .action((o: Ranged & { start: string; direction: string; depth: string; limit: string }) =>
      withCompute(o, async (c) => {
        if (!["next", "previous"].includes(o.direction)) throw new Error("--direction: next or previous");
        const direction = o.direction === "next" ? PathDirection.PATH_DIRECTION_NEXT : PathDirection.PATH_DIRECTION_PREVIOUS;
        const r = await c.paths(PathsRequest.fromPartial({ range: range(o), startEvent: o.start, direction, depth: int(o.depth, "--depth"), limit: int(o.limit, "--limit") }));
        printTsv(["step", "from", "to", "users", "share"], r.edges.map((e) => [e.step, e.fromEvent, e.toEvent, e.users, r.users ? `${((e.users / r.users) * 100).toFixed(1)}%` : ""]));
        process.stdout.write(`users starting at ${o.start}: ${r.users}\n`);
        noteFreshness(r.freshness);
      }),
    );

  ranged(query.command("stickiness"))
    .description("How many users did --event on 1, 2, … distinct days of the range.")
    .requiredOption("--event <name>", "the event")
    .action((o: Ranged & { event: string }) =>
      withCompute(o, async (c) => {
        const r = await c.stickiness(StickinessRequest.fromPartial({ range: range(o), eventName: o.event }));
        printTsv(["days", "users"], r.buckets.map((b) => [b.days, b.users]));
        noteFreshness(r.freshness);
      }),
    );
}
