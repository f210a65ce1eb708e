import type { FailuresAnswer, Rejection } from "../../../src/api/wire";
import { useMemo, useState } from "preact/hooks";
import { api } from "../api";
import { Chart } from "../chart";
import { Empty, Loaded, useLoad, when } from "../ui";
import { useInterval } from "../use-interval";
import { ReplayPanel } from "./replay-panel";

const RANGES = [
  { minutes: 60, label: "Last hour" },
  { minutes: 1440, label: "Last 24 hours" },
  { minutes: 10080, label: "Last 7 days" },
];

/** Failures: the tenant's rejected events by reason over time, by event and source, with examples. */
export function FailuresPage() {
  const [minutes, setMinutes] = useState(60);
  const [load, reload] = useLoad(() => api<FailuresAnswer>(`/api/failures?minutes=${minutes}`), [minutes]);
  // Kept here, not in the view: the list refreshes every 5 s and the selection must survive it.
  const [selected, setSelected] = useState<string[]>([]);
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  useInterval(reload, 5000);
  return (
    <div>
      <header class="page-head">
        <h1>Failures</h1>
        <label>
          Range{" "}
          <select value={minutes} onChange={(e) => setMinutes(Number((e.target as HTMLSelectElement).value))}>
            {RANGES.map((r) => (
              <option key={r.minutes} value={r.minutes}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <span class="muted small">Rejected events of your tenant, read from the rejected-events topic; refreshes every 5 s.</span>
      </header>
      <Loaded load={load} retry={reload}>
        {(f) => (f.total === 0 ? <Empty>{f.ready ? "No rejected events in this range. Good." : "Still reading the rejected-events topic…"}</Empty> : <FailureView f={f} selected={selected} toggle={toggle} />)}
      </Loaded>
      <ReplayPanel selected={selected} clear={() => setSelected([])} />
    </div>
  );
}

function FailureView({ f, selected, toggle }: { f: FailuresAnswer; selected: string[]; toggle: (id: string) => void }) {
  const option = useMemo(
    () => ({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 24 },
      xAxis: { type: "category", data: f.series.buckets.map((t) => new Date(t).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" })) },
      yAxis: { type: "value", minInterval: 1 },
      series: f.series.reasons.map((r) => ({ name: r.reason, type: "bar", stack: "all", data: r.counts })),
    }),
    [f],
  );
  return (
    <>
      <p>
        <strong data-testid="failures-total">{f.total}</strong> rejected event(s)
      </p>
      <Chart option={option} label="Rejected events by reason over time" height={220} />
      <div class="columns">
        <Counts title="By reason" rows={f.byReason.map((r) => [r.reason, r.count])} testid="by-reason" />
        <Counts title="By event" rows={f.byEvent.map((r) => [r.eventName, r.count])} testid="by-event" />
        <Counts title="By source" rows={f.bySource.map((r) => [r.source, r.count])} testid="by-source" />
      </div>
      <h2>Newest examples</h2>
      <table class="examples">
        <thead>
          <tr>
            <th>
              <span class="sr-only">Replay</span>
            </th>
            <th>Received</th>
            <th>Reason</th>
            <th>Event</th>
            <th>What ingest said</th>
            <th>Kept as</th>
          </tr>
        </thead>
        <tbody>
          {f.examples.map((e, i) => (
            <tr key={e.event_id ?? i} data-event-id={e.event_id}>
              <td>
                {/* A sealed record's bytes stay sealed: `trackway events replay` opens it with the tenant's data key. */}
                {e.event_id && e.protection !== "sealed" && (
                  <input type="checkbox" aria-label={`Select ${e.event_name ?? "event"} ${e.event_id} for replay`} checked={selected.includes(e.event_id)} onChange={() => toggle(e.event_id!)} />
                )}
              </td>
              <td>{when(new Date(e.received_at).toISOString())}</td>
              <td>
                <code>{e.reasons.join(", ")}</code>
              </td>
              <td>
                {e.event_name ?? <span class="muted">(unparsed)</span>}
                {e.schema_version ? <span class="muted"> v{e.schema_version}</span> : null}
              </td>
              <td>{e.message}</td>
              <td class="muted" data-testid="kept-as">{KEPT_AS[e.protection ?? "none"]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** How a rejected record keeps the event's personal data (the contract's `protection`). */
const KEPT_AS: Record<NonNullable<Rejection["protection"]> | "none", string> = {
  none: "as sent",
  policy: "under the privacy policy",
  sealed: "sealed (tenant key)",
};

function Counts({ title, rows, testid }: { title: string; rows: [string, number][]; testid: string }) {
  return (
    <section>
      <h2>{title}</h2>
      <table data-testid={testid}>
        <tbody>
          {rows.map(([k, n]) => (
            <tr key={k}>
              <td>
                <code>{k}</code>
              </td>
              <td class="num">{n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
