import { useMemo, useState } from "preact/hooks";
import type { TrendMeasure, TrendsAnswer } from "../../../src/api/wire";
import { api } from "../api";
import { Chart } from "../chart";
import { Empty, ErrorBox } from "../ui";
import { AnswerFreshnessLine, RanSql, type OpenInEditor } from "./answer-parts";

const DEFAULT_EVENTS = "shop.page_viewed\nshop.order_completed";
const MEASURE_LABEL: Record<TrendMeasure, string> = { TOTAL: "events", UNIQUE_USERS: "users" };
const HOUR = 3_600_000;

/** A trend's lines: one per series and breakdown value, with a value per bucket of the range (0 where the RPC has no point). */
export function trendLines(t: TrendsAnswer): { buckets: string[]; lines: { name: string; series: number; breakdownValue: string; values: number[]; total: number }[] } {
  const step = t.request.granularity === "DAY" ? 24 * HOUR : HOUR;
  const buckets: string[] = [];
  for (let at = new Date(t.request.start).getTime(); at < new Date(t.request.end).getTime(); at += step) buckets.push(new Date(at).toISOString());
  const lines = new Map<string, { name: string; series: number; breakdownValue: string; values: number[]; total: number }>();
  for (const p of t.points) {
    const s = t.request.series[p.series];
    const key = `${p.series}|${p.breakdownValue}`;
    const name = `${s?.eventName ?? p.series} (${MEASURE_LABEL[s?.measure ?? "TOTAL"]})${p.breakdownValue ? ` · ${p.breakdownValue}` : ""}`;
    const line = lines.get(key) ?? lines.set(key, { name, series: p.series, breakdownValue: p.breakdownValue, values: new Array<number>(buckets.length).fill(0), total: 0 }).get(key)!;
    const i = buckets.indexOf(p.bucketStart);
    if (i >= 0) line.values[i] = p.value;
    line.total += p.value;
  }
  return { buckets, lines: [...lines.values()].sort((a, b) => a.series - b.series || b.total - a.total) };
}

/** Trends: events or users per hour or day for 1 to 5 events, optionally broken down by a header column or property. */
export function TrendsPanel({ open }: { open: OpenInEditor }) {
  const [events, setEvents] = useState(DEFAULT_EVENTS);
  const [measure, setMeasure] = useState<TrendMeasure>("TOTAL");
  const [granularity, setGranularity] = useState<"HOUR" | "DAY">("HOUR");
  const [hours, setHours] = useState(24);
  const [breakdown, setBreakdown] = useState("");
  const [kind, setKind] = useState<"line" | "bar">("line");
  const [state, setState] = useState<{ busy: boolean; trends?: TrendsAnswer; error?: Error }>({ busy: false });
  const run = async (e: Event) => {
    e.preventDefault();
    setState({ busy: true });
    try {
      const series = events.split("\n").map((s) => s.trim()).filter(Boolean).map((eventName) => ({ eventName, measure }));
      setState({ busy: false, trends: await api<TrendsAnswer>("/api/insights/trends", { method: "POST", body: { series, granularity, hours, breakdown } }) });
    } catch (error) {
      setState({ busy: false, error: error as Error });
    }
  };
  return (
    <section class="panel" aria-labelledby="trends-title">
      <h2 id="trends-title">Trends</h2>
      <form class="inline-form" onSubmit={run}>
        <label>
          Events, one a line (1 to 5)
          <textarea name="trend-events" rows={2} cols={28} value={events} onInput={(e) => setEvents((e.target as HTMLTextAreaElement).value)} />
        </label>
        <label>
          Measure
          <select value={measure} onChange={(e) => setMeasure((e.target as HTMLSelectElement).value as TrendMeasure)}>
            <option value="TOTAL">events</option>
            <option value="UNIQUE_USERS">unique users</option>
          </select>
        </label>
        <label>
          Per
          <select value={granularity} onChange={(e) => setGranularity((e.target as HTMLSelectElement).value as "HOUR" | "DAY")}>
            <option value="HOUR">hour</option>
            <option value="DAY">day</option>
          </select>
        </label>
        <label>
          Last hours
          <input type="number" name="trend-hours" min={1} max={2160} value={hours} onInput={(e) => setHours(Number((e.target as HTMLInputElement).value))} />
        </label>
        <label>
          Breakdown
          <input name="breakdown" placeholder="os_name or property:plan" value={breakdown} onInput={(e) => setBreakdown((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" disabled={state.busy}>
          {state.busy ? "Computing…" : "Compute trends"}
        </button>
      </form>
      {state.error && <ErrorBox error={state.error} />}
      {state.trends && <TrendsView t={state.trends} kind={kind} setKind={setKind} open={open} />}
    </section>
  );
}

function TrendsView({ t, kind, setKind, open }: { t: TrendsAnswer; kind: "line" | "bar"; setKind: (k: "line" | "bar") => void; open: OpenInEditor }) {
  const { buckets, lines } = useMemo(() => trendLines(t), [t]);
  const option = useMemo(
    () => ({
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 48, right: 16, top: 36, bottom: 24 },
      xAxis: { type: "category", data: buckets.map((b) => (t.request.granularity === "DAY" ? b.slice(5, 10) : b.slice(11, 16))) },
      yAxis: { type: "value", minInterval: 1 },
      series: lines.map((l) => ({ name: l.name, type: kind, showSymbol: false, data: l.values })),
    }),
    [buckets, lines, kind],
  );
  return (
    <div data-testid="trends" data-start={t.request.start} data-end={t.request.end}>
      <div class="toggle" role="group" aria-label="Chart type">
        {(["line", "bar"] as const).map((k) => (
          <button key={k} type="button" aria-pressed={kind === k} onClick={() => setKind(k)}>
            {k === "line" ? "Line" : "Bars"}
          </button>
        ))}
      </div>
      {lines.length === 0 ? <Empty>None of these events in this range yet.</Empty> : <Chart option={option} label="Trends per bucket" />}
      <table class="trend-table" data-testid="trend-table">
        <thead>
          <tr>
            <th>Series</th>
            <th class="num">Total</th>
            <th class="num">Buckets with events</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.name}>
              <td>{l.name}</td>
              <td class="num">{l.total}</td>
              <td class="num">{l.values.filter((v) => v !== 0).length}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details class="points">
        <summary>Every point ({t.points.length})</summary>
        <table data-testid="trend-points">
          <thead>
            <tr>
              <th>Bucket (UTC)</th>
              <th>Event</th>
              <th>Breakdown</th>
              <th class="num">Value</th>
            </tr>
          </thead>
          <tbody>
            {t.points.map((p, i) => (
              <tr key={i} data-testid="trend-point" data-series={p.series} data-bucket={p.bucketStart}>
                <td>{p.bucketStart.slice(0, 16).replace("T", " ")}</td>
                <td>{t.request.series[p.series]?.eventName}</td>
                <td>{p.breakdownValue}</td>
                <td class="num">{p.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <AnswerFreshnessLine f={t.freshness} />
      <RanSql sql={t.sql} open={open} />
    </div>
  );
}
