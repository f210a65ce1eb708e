import { useState } from "preact/hooks";
import { api, type Cell, type QueryResult } from "../api";
import { Empty, Loaded, SqlShown, useLoad, when } from "../ui";
import { useInterval } from "../use-interval";

interface Latest {
  result: QueryResult;
}

const text = (c: Cell | undefined) => (c === null || c === undefined ? "" : String(c.v));

/**
 * Live events: the newest events of the tenant as the warehouse holds them, refreshed while not paused. The
 * Kafka-side live tail (with rejections and field paths) replaces this source when its RPC lands.
 */
export function LivePage() {
  const [paused, setPaused] = useState(false);
  const [filter, setFilter] = useState("");
  const [open, setOpen] = useState<string | null>(null);
  const [load, reload] = useLoad(() => api<Latest>(`/api/live/latest?event=${encodeURIComponent(filter)}`), [filter]);
  useInterval(reload, paused ? null : 10_000);
  return (
    <div>
      <header class="page-head">
        <h1>Live events</h1>
        <input type="search" aria-label="Only this event name" placeholder="event name" value={filter} onChange={(e) => setFilter((e.target as HTMLInputElement).value.trim())} />
        <button type="button" onClick={() => setPaused(!paused)} aria-pressed={paused}>
          {paused ? "Resume" : "Pause"}
        </button>
        <button type="button" onClick={reload}>
          Refresh
        </button>
        <span class="muted small">{paused ? "Paused." : "Refreshes every 10 s."} Newest events in the warehouse (ods_events).</span>
      </header>
      <Loaded load={load} retry={reload}>
        {({ result }) => {
          if (result.rows.length === 0) return <Empty>No events yet. Send some with <code>trackway send --sample</code>.</Empty>;
          const names = result.columns.map((c) => c.name);
          const col = (n: string) => names.indexOf(n);
          return (
            <>
              <table class="live" data-testid="live-events">
                <thead>
                  <tr>
                    <th>Received</th>
                    <th>Event</th>
                    <th>User</th>
                    <th>Event id</th>
                  </tr>
                </thead>
                <tbody>
                  {result.rows.map((r) => {
                    const id = text(r[col("event_id")]);
                    return (
                      <>
                        <tr key={id} class={open === id ? "selected" : ""}>
                          <td>{when(text(r[col("received_at")]))}</td>
                          <td>
                            {text(r[col("event_name")])} <span class="muted small">v{text(r[col("schema_version")])}</span>
                          </td>
                          <td>{text(r[col("user_key")])}</td>
                          <td>
                            <button type="button" class="link" aria-expanded={open === id} onClick={() => setOpen(open === id ? null : id)}>
                              {id}
                            </button>
                          </td>
                        </tr>
                        {open === id && (
                          <tr class="inspect">
                            <td colSpan={4}>
                              <pre>{JSON.stringify(Object.fromEntries(names.map((n, i) => [n, r[i]?.v ?? null])), null, 2)}</pre>
                            </td>
                          </tr>
                        )}
                      </>
                    );
                  })}
                </tbody>
              </table>
              <SqlShown sql={result.sql} />
            </>
          );
        }}
      </Loaded>
    </div>
  );
}
