import { useState } from "preact/hooks";
import type { JobView } from "../../../src/api/wire";
import { api, ApiError, type Me } from "../api";
import { Empty, ErrorBox, Loaded, ago, useLoad, when } from "../ui";
import { useInterval } from "../use-interval";

type Job = JobView;

/** What an operator may do to a job in a state, as the compute gateway allows it. */
function actionsOf(j: Job): { action: string; label: string; mode?: string; danger?: boolean }[] {
  const other = j.mode === "STREAMING" ? "BATCH" : "STREAMING";
  if (j.state === "RUNNING") return [{ action: "stop", label: "Stop (savepoint)" }, { action: "switch", label: `Switch to ${other}`, mode: other }, { action: "cancel", label: "Cancel", danger: true }];
  if (j.state === "STOPPED") return [{ action: "resume", label: "Resume" }, { action: "switch", label: `Run as ${other}`, mode: other }];
  return [{ action: "start", label: "Start streaming", mode: "STREAMING" }, { action: "start", label: "Start batch", mode: "BATCH" }];
}

/** Jobs: the warehouse jobs with mode, state, failovers, checkpoints and savepoint; operators start, stop and switch them. */
export function JobsPage({ me }: { me: Me }) {
  const [load, reload] = useLoad(() => api<{ jobs: Job[] }>("/api/jobs"), []);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  useInterval(reload, busy ? null : 10_000);
  const act = async (j: Job, a: { action: string; label: string; mode?: string; danger?: boolean }) => {
    if (a.danger && !confirm(`${a.label} ${j.definition}? It stops without a savepoint.`)) return;
    setBusy(j.jobId);
    setError(null);
    try {
      await api(`/api/jobs/${encodeURIComponent(j.jobId)}/${a.action}`, { method: "POST", body: a.mode ? { mode: a.mode } : {} });
      reload();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div>
      <header class="page-head">
        <h1>Jobs</h1>
        <span class="muted small">Warehouse jobs on Flink; refreshes every 10 s. Controls need an operator tenant.</span>
      </header>
      {error && <ErrorBox error={error} />}
      <Loaded load={load} retry={reload}>
        {({ jobs }) =>
          jobs.length === 0 ? (
            <Empty>No jobs yet: <code>trackway jobs create ods_events</code> creates the first.</Empty>
          ) : (
            <table class="jobs">
              <thead>
                <tr>
                  <th>Job</th>
                  <th>Mode</th>
                  <th>State</th>
                  <th>Started</th>
                  <th>Checkpoints</th>
                  <th class="num">Restarts</th>
                  <th class="num">In / out</th>
                  <th>Savepoint</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {jobs.map((j) => (
                  <tr key={j.jobId}>
                    <td>
                      <strong>{j.definition}</strong>
                      <div class="muted small">{j.jobId}</div>
                    </td>
                    <td>{j.mode}</td>
                    <td>
                      <span class={`badge ${j.state.toLowerCase()}`}>{j.state}</span>
                      {j.condition !== "healthy" && (
                        <span class={`badge ${j.condition}`} title={j.lastException || undefined}>
                          {j.condition === "failing" ? "failing over" : "checkpoint failing"}
                        </span>
                      )}
                      {j.failure && <div class="small bad">{j.failure}</div>}
                      {j.lastException && !j.failure && (
                        <div class={`small ${j.condition === "failing" ? "bad" : "muted"}`} data-testid="last-exception">
                          {j.lastException} ({ago(j.lastExceptionAt)})
                        </div>
                      )}
                    </td>
                    <td>{when(j.startedAt)}</td>
                    <td>
                      last {ago(j.lastCheckpointAt)}
                      <div class="small muted" data-testid="checkpoints">
                        {j.completedCheckpoints} ok / <span class={j.failedCheckpoints > 0 ? "bad" : ""}>{j.failedCheckpoints} failed</span>
                      </div>
                    </td>
                    <td class={`num${j.restarts > 0 ? " bad" : ""}`} data-testid="restarts">
                      {j.restarts}
                    </td>
                    <td class="num">
                      {j.recordsIn} / {j.recordsOut}
                    </td>
                    <td class="small path">{j.savepointPath || <span class="muted">none</span>}</td>
                    <td>
                      <div class="actions">
                      {actionsOf(j).map((a) => (
                        <button key={a.label} type="button" disabled={busy !== null} class={a.danger ? "danger" : ""} onClick={() => act(j, a)}>
                          {busy === j.jobId ? "…" : a.label}
                        </button>
                      ))}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
      <p class="muted small">Signed in as tenant {me.tenant}. A tenant that is not an operator gets NOT_AN_OPERATOR here.</p>
    </div>
  );
}

export { ApiError };
