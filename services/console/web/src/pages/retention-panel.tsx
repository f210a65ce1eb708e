import { useState } from "preact/hooks";
import type { RetentionAnswer } from "../../../src/api/wire";
import { api } from "../api";
import { Empty, ErrorBox } from "../ui";
import { AnswerFreshnessLine, RanSql, type OpenInEditor } from "./answer-parts";

const pct = (n: number, of: number) => (of === 0 ? 0 : (100 * n) / of);

/** Retention: cohorts by their first cohort event per day or week, and the share who came back in each later period (a heat-map table). */
export function RetentionPanel({ open }: { open: OpenInEditor }) {
  const [cohortEvent, setCohortEvent] = useState("shop.page_viewed");
  const [returnEvent, setReturnEvent] = useState("");
  const [period, setPeriod] = useState<"DAY" | "WEEK">("DAY");
  const [periods, setPeriods] = useState(7);
  const [state, setState] = useState<{ busy: boolean; retention?: RetentionAnswer; error?: Error }>({ busy: false });
  const run = async (e: Event) => {
    e.preventDefault();
    setState({ busy: true });
    try {
      setState({ busy: false, retention: await api<RetentionAnswer>("/api/insights/retention", { method: "POST", body: { cohortEvent, returnEvent, period, periods } }) });
    } catch (error) {
      setState({ busy: false, error: error as Error });
    }
  };
  return (
    <section class="panel" aria-labelledby="retention-title">
      <h2 id="retention-title">Retention</h2>
      <form class="inline-form" onSubmit={run}>
        <label>
          Cohort event <input name="cohort-event" placeholder="any event" value={cohortEvent} onInput={(e) => setCohortEvent((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Return event <input name="return-event" placeholder="any event" value={returnEvent} onInput={(e) => setReturnEvent((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Per{" "}
          <select value={period} onChange={(e) => setPeriod((e.target as HTMLSelectElement).value as "DAY" | "WEEK")}>
            <option value="DAY">day</option>
            <option value="WEEK">week</option>
          </select>
        </label>
        <label>
          Periods <input type="number" name="periods" min={1} max={30} value={periods} onInput={(e) => setPeriods(Number((e.target as HTMLInputElement).value))} />
        </label>
        <button type="submit" disabled={state.busy}>
          {state.busy ? "Computing…" : "Compute retention"}
        </button>
      </form>
      {state.error && <ErrorBox error={state.error} />}
      {state.retention && <RetentionView r={state.retention} open={open} />}
    </section>
  );
}

function RetentionView({ r, open }: { r: RetentionAnswer; open: OpenInEditor }) {
  const label = r.request.period === "WEEK" ? "Week" : "Day";
  return (
    <div data-testid="retention" data-start={r.request.start} data-end={r.request.end}>
      {r.cohorts.length === 0 ? (
        <Empty>No user did the cohort event in this range yet.</Empty>
      ) : (
        <div class="scroll">
          <table class="retention" aria-label="Retention by cohort">
            <thead>
              <tr>
                <th>Cohort (UTC)</th>
                <th class="num">Users</th>
                {Array.from({ length: r.request.periods }, (_, k) => (
                  <th key={k} class="num">
                    {label} {k + 1}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {r.cohorts.map((c) => (
                <tr key={c.cohortStart} data-testid="cohort" data-cohort={c.cohortStart}>
                  <td>{c.cohortStart.slice(0, 10)}</td>
                  <td class="num" data-testid="cohort-users">
                    {c.users}
                  </td>
                  {c.returned.map((n, k) => {
                    const p = pct(n, c.users);
                    // Later periods of young cohorts have not happened yet: blank, not 0 %.
                    const future = new Date(c.cohortStart).getTime() + (k + 1) * (r.request.period === "WEEK" ? 7 : 1) * 86_400_000 > Date.now();
                    return (
                      <td key={k} class="num heat" data-testid="returned" data-users={n} style={future ? undefined : { background: `rgba(47, 107, 255, ${(0.08 + (0.72 * p) / 100).toFixed(2)})`, color: p > 55 ? "#fff" : undefined }}>
                        {future ? "" : `${p.toFixed(1)}%`}
                        {!future && <div class="small">{n}</div>}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AnswerFreshnessLine f={r.freshness} />
      <RanSql sql={r.sql} open={open} />
    </div>
  );
}
