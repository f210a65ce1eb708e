import { useMemo, useState } from "preact/hooks";
import type { FunnelAnswer } from "../../../src/api/wire";
import { api, type Freshness, type QueryResult } from "../api";
import { Chart } from "../chart";
import { Empty, ErrorBox, Loaded, SqlShown, ago, useLoad, when } from "../ui";
import { RanSql, type OpenInEditor } from "./answer-parts";
import { RetentionPanel } from "./retention-panel";
import { DEFAULT_SQL, SqlEditor } from "./sql-editor";
import { TrendsPanel } from "./trends-panel";

interface Counts {
  start: string;
  end: string;
  result: QueryResult;
  freshness: Freshness;
}
type Funnel = FunnelAnswer;

const DEFAULT_STEPS = ["shop.page_viewed", "shop.product_viewed", "shop.product_added", "shop.checkout_started", "shop.order_completed"];

function FreshnessLine({ f }: { f: Freshness }) {
  return (
    <p class="muted small" data-testid="freshness">
      Fresh up to {when(f.completeUpTo)} ({ago(f.completeUpTo)}); {f.events} event(s) in the warehouse.
    </p>
  );
}

/**
 * Insights: counts per hour, trends (line or bars, with a breakdown), a funnel (bars with conversion) and retention
 * (a heat-map table), each with its SQL and freshness; a SQL editor the answers' SQL opens in.
 */
export function InsightsPage() {
  const [sql, setSql] = useState(DEFAULT_SQL);
  const open = (statement: string) => {
    setSql(statement);
    const editor = document.getElementById("sql-editor");
    editor?.scrollIntoView({ block: "center" });
    editor?.focus();
  };
  return (
    <div>
      <h1>Insights</h1>
      <CountsPanel />
      <TrendsPanel open={open} />
      <FunnelPanel open={open} />
      <RetentionPanel open={open} />
      <SqlEditor sql={sql} setSql={setSql} />
    </div>
  );
}

function CountsPanel() {
  const [hours, setHours] = useState(24);
  const [load, retry] = useLoad(() => api<Counts>(`/api/insights/counts?hours=${hours}`), [hours]);
  return (
    <section class="panel" aria-labelledby="counts-title">
      <header class="page-head">
        <h2 id="counts-title">Events per hour</h2>
        <label>
          Over{" "}
          <select value={hours} onChange={(e) => setHours(Number((e.target as HTMLSelectElement).value))}>
            <option value={6}>6 hours</option>
            <option value={24}>24 hours</option>
            <option value={168}>7 days</option>
          </select>
        </label>
      </header>
      <Loaded load={load} retry={retry}>
        {(c) => <CountsChart c={c} />}
      </Loaded>
    </section>
  );
}

function CountsChart({ c }: { c: Counts }) {
  const option = useMemo(() => {
    const hours: string[] = [];
    for (let t = new Date(c.start).getTime(); t < new Date(c.end).getTime(); t += 3_600_000) hours.push(new Date(t).toISOString());
    const byName = new Map<string, number[]>();
    for (const row of c.result.rows) {
      // hour_start is 'yyyy-MM-dd HH:00' in UTC.
      const hour = new Date(`${String(row[0]?.v).replace(" ", "T")}:00Z`).toISOString();
      const name = String(row[1]?.v);
      const series = byName.get(name) ?? byName.set(name, new Array<number>(hours.length).fill(0)).get(name)!;
      const i = hours.indexOf(hour);
      if (i >= 0) series[i] = Number(row[2]?.v ?? 0);
    }
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 48, right: 16, top: 36, bottom: 24 },
      xAxis: { type: "category", data: hours.map((h) => h.slice(11, 16)) },
      yAxis: { type: "value", minInterval: 1 },
      series: [...byName].map(([name, data]) => ({ name, type: "line", showSymbol: false, data })),
    };
  }, [c]);
  return (
    <>
      {c.result.rows.length === 0 ? <Empty>No events in this range yet.</Empty> : <Chart option={option} label="Events per hour by event name" />}
      <FreshnessLine f={c.freshness} />
      <SqlShown sql={c.result.sql} />
      <SqlShown sql={c.freshness.sql} label="Freshness SQL" />
    </>
  );
}

function FunnelPanel({ open }: { open: OpenInEditor }) {
  const [steps, setSteps] = useState(DEFAULT_STEPS.join("\n"));
  const [hours, setHours] = useState(24);
  const [windowMinutes, setWindow] = useState(60);
  const [state, setState] = useState<{ busy: boolean; funnel?: Funnel; error?: Error }>({ busy: false });
  const run = async (e: Event) => {
    e.preventDefault();
    setState({ busy: true });
    try {
      const funnel = await api<Funnel>("/api/insights/funnel", { method: "POST", body: { steps: steps.split("\n").map((s) => s.trim()).filter(Boolean), hours, windowMinutes } });
      setState({ busy: false, funnel });
    } catch (error) {
      setState({ busy: false, error: error as Error });
    }
  };
  return (
    <section class="panel" aria-labelledby="funnel-title">
      <h2 id="funnel-title">Funnel</h2>
      <form class="funnel-form" onSubmit={run}>
        <label>
          Steps, one event name a line (2 to 5)
          <textarea name="steps" rows={5} value={steps} onInput={(e) => setSteps((e.target as HTMLTextAreaElement).value)} />
        </label>
        <div class="stack">
          <label>
            First step within the last{" "}
            <input type="number" name="hours" min={1} max={2160} value={hours} onInput={(e) => setHours(Number((e.target as HTMLInputElement).value))} /> hours
          </label>
          <label>
            Window{" "}
            <input type="number" name="window" min={1} value={windowMinutes} onInput={(e) => setWindow(Number((e.target as HTMLInputElement).value))} /> minutes
          </label>
          <button type="submit" disabled={state.busy}>
            {state.busy ? "Computing…" : "Compute funnel"}
          </button>
        </div>
      </form>
      {state.error && <ErrorBox error={state.error} />}
      {state.funnel && <FunnelView f={state.funnel} open={open} />}
    </section>
  );
}

function FunnelView({ f, open }: { f: Funnel; open: OpenInEditor }) {
  const option = useMemo(
    () => ({
      tooltip: { trigger: "axis" },
      grid: { left: 48, right: 16, top: 16, bottom: 40 },
      xAxis: { type: "category", data: f.steps.map((s, i) => `${i + 1}. ${s.eventName}`), axisLabel: { interval: 0, fontSize: 11 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: f.steps.map((s) => s.users), label: { show: true, position: "top", formatter: (p: { dataIndex: number }) => `${(f.steps[p.dataIndex]!.conversion * 100).toFixed(1)}%` } }],
    }),
    [f],
  );
  return (
    <div data-testid="funnel" data-start={f.request.start} data-end={f.request.end} data-window-minutes={f.request.windowMinutes}>
      {f.steps[0]?.users === 0 ? <Empty>No user did the first step in this range.</Empty> : <Chart option={option} label="Funnel: users per step" height={240} />}
      <table class="funnel-table">
        <thead>
          <tr>
            <th>Step</th>
            <th>Event</th>
            <th class="num">Users</th>
            <th class="num">Conversion</th>
          </tr>
        </thead>
        <tbody>
          {f.steps.map((s, i) => (
            <tr key={i} data-testid="funnel-step">
              <td>{i + 1}</td>
              <td>{s.eventName}</td>
              <td class="num" data-testid="funnel-users">
                {s.users}
              </td>
              <td class="num">{(s.conversion * 100).toFixed(1)}%</td>
            </tr>
          ))}
        </tbody>
      </table>
      <FreshnessLine f={f.freshness} />
      <p class="muted small">
        Funnel RPC: steps {f.request.steps.join(" → ")}; first step from {when(f.request.start)} to {when(f.request.end)}; window {f.request.windowMinutes} min.
      </p>
      <RanSql sql={f.sql} open={open} />
    </div>
  );
}

