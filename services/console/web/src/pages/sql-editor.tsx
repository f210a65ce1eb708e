import { useState } from "preact/hooks";
import { api, type Cell, type QueryResult } from "../api";
import { ErrorBox } from "../ui";

/** What the editor holds before anything is opened in it. */
export const DEFAULT_SQL = "SELECT event_name, COUNT(*) AS events, COUNT(DISTINCT user_key) AS users\nFROM ods_events\nGROUP BY event_name\nORDER BY events DESC";

const cellText = (c: Cell) => (c === null ? "NULL" : typeof c.v === "string" ? c.v : String(c.v));

/** The SQL editor: read-only Flink SQL with typed results; the answers above open their SQL in it. */
export function SqlEditor({ sql, setSql }: { sql: string; setSql: (s: string) => void }) {
  const [state, setState] = useState<{ busy: boolean; result?: QueryResult; error?: Error }>({ busy: false });
  const run = async () => {
    setState({ busy: true });
    try {
      setState({ busy: false, result: await api<QueryResult>("/api/query", { method: "POST", body: { sql, maxRows: 200 } }) });
    } catch (error) {
      setState({ busy: false, error: error as Error });
    }
  };
  return (
    <section class="panel" aria-labelledby="sql-title">
      <h2 id="sql-title">SQL</h2>
      <p class="muted small">Read-only Flink SQL over your tenant's tables (ods_events, dws_*). Ctrl+Enter runs it.</p>
      <textarea
        id="sql-editor"
        class="sql-editor"
        aria-label="SQL statement"
        rows={6}
        spellcheck={false}
        value={sql}
        onInput={(e) => setSql((e.target as HTMLTextAreaElement).value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void run();
          }
        }}
      />
      <button type="button" onClick={run} disabled={state.busy}>
        {state.busy ? "Running…" : "Run"}
      </button>
      {state.error && <ErrorBox error={state.error} />}
      {state.result && (
        <div class="result">
          <p class="muted small">
            {state.result.rowCount} row(s){state.result.truncated ? " (cut at the row limit)" : ""} in {(state.result.elapsedMs / 1000).toFixed(1)} s
          </p>
          <div class="scroll">
            <table data-testid="sql-result">
              <thead>
                <tr>
                  {state.result.columns.map((c) => (
                    <th key={c.name}>
                      {c.name}
                      <div class="type">{c.type}</div>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {state.result.rows.map((r, i) => (
                  <tr key={i}>
                    {r.map((c, j) => (
                      <td key={j} class={`cell ${c === null ? "null" : c.k}`}>
                        {cellText(c)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
