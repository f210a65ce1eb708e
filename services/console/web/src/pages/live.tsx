import { Fragment } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { LiveEvent } from "../../../src/api/wire";
import { Empty } from "../ui";

type Kind = "all" | "accepted" | "rejected";
type TailState = { state: "connecting" } | { state: "ready" } | { state: "failed"; message: string };

/** Most events the page keeps; the oldest go first. */
const KEEP = 200;

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 23);

/**
 * Live events: ingest's tail of the tenant's accepted and rejected events as they arrive, filtered by event name,
 * user and outcome. Pause freezes the list (events keep counting) so one event can be inspected.
 * Keyboard: Tab goes filters → outcome → Pause → each event's inspect button; Enter applies a filter; Enter or
 * Space presses a button; Escape closes the inspected event and puts focus back on its button.
 */
export function LivePage() {
  const [event, setEvent] = useState("");
  const [user, setUser] = useState("");
  const [kind, setKind] = useState<Kind>("all");
  const [paused, setPaused] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const [events, setEvents] = useState<{ n: number; e: LiveEvent }[]>([]);
  const [tail, setTail] = useState<TailState>({ state: "connecting" });
  const [dropped, setDropped] = useState(0);
  const [held, setHeld] = useState(0);
  const pausedRef = useRef(paused);
  const heldRef = useRef<{ n: number; e: LiveEvent }[]>([]);
  pausedRef.current = paused;

  useEffect(() => {
    setEvents([]);
    setTail({ state: "connecting" });
    heldRef.current = [];
    setHeld(0);
    let n = 0;
    const q = new URLSearchParams({ kind, event, user });
    const source = new EventSource(`/api/live/tail?${q}`);
    source.addEventListener("ready", () => setTail({ state: "ready" }));
    source.addEventListener("failed", (m) => {
      const body = JSON.parse((m as MessageEvent<string>).data) as { reason: string; message: string };
      setTail({ state: "failed", message: `${body.reason}: ${body.message}` });
      source.close();
    });
    source.addEventListener("event", (m) => {
      const e = JSON.parse((m as MessageEvent<string>).data) as LiveEvent;
      if (e.droppedBefore > 0) setDropped((d) => d + e.droppedBefore);
      const row = { n: n++, e };
      if (pausedRef.current) {
        heldRef.current = [row, ...heldRef.current].slice(0, KEEP);
        setHeld(heldRef.current.length);
      } else setEvents((all) => [row, ...all].slice(0, KEEP));
    });
    // A refused request (signed out, bad filter) closes the source for good; a dropped connection is retried.
    source.onerror = () =>
      setTail((t) => (t.state === "failed" ? t : source.readyState === EventSource.CLOSED ? { state: "failed", message: "the console refused the tail; sign in again or reload" } : { state: "connecting" }));
    return () => source.close();
  }, [kind, event, user]);

  // One listener for the page's life, reading the open event from a ref: a listener added per open event would be
  // attached only after the paint, and an Escape pressed at once would be lost.
  const openRef = useRef(open);
  openRef.current = open;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const n = openRef.current;
      if (e.key !== "Escape" || n === null) return;
      e.preventDefault();
      setOpen(null);
      document.querySelector<HTMLButtonElement>(`button[data-inspect="${n}"]`)?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  const onEnter = (set: (v: string) => void) => (e: KeyboardEvent) => {
    if (e.key === "Enter") set((e.target as HTMLInputElement).value.trim());
  };

  const resume = () => {
    setEvents((all) => [...heldRef.current, ...all].slice(0, KEEP));
    heldRef.current = [];
    setHeld(0);
    setPaused(false);
  };

  return (
    <div>
      <header class="page-head">
        <h1>Live events</h1>
        <input type="search" aria-label="Only these event names" placeholder="event name(s), comma separated" value={event} onChange={(e) => setEvent((e.target as HTMLInputElement).value.trim())} onKeyDown={onEnter(setEvent)} />
        <input type="search" aria-label="Only this user id" placeholder="user id" value={user} onChange={(e) => setUser((e.target as HTMLInputElement).value.trim())} onKeyDown={onEnter(setUser)} />
        <select aria-label="Outcome" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as Kind)}>
          <option value="all">accepted and rejected</option>
          <option value="accepted">accepted only</option>
          <option value="rejected">rejected only</option>
        </select>
        <button type="button" onClick={() => (paused ? resume() : setPaused(true))} aria-pressed={paused}>
          {paused ? `Resume${held ? ` (${held} new)` : ""}` : "Pause"}
        </button>
        <span class="muted small" data-testid="tail-state">
          {tail.state === "ready" ? (paused ? "Paused: new events are held." : "Live: events appear as ingest handles them.") : tail.state === "connecting" ? "Connecting to ingest's tail…" : ""}
          {dropped > 0 && ` ${dropped} events were dropped (this page read slower than they came).`}
        </span>
      </header>
      {tail.state === "failed" && (
        <div class="error" role="alert">
          The live tail failed — {tail.message}
        </div>
      )}
      {events.length === 0 ? (
        <Empty>
          No events since this page opened{event || user || kind !== "all" ? " that match the filters" : ""}. Send some with <code>trackway send --sample</code>.
        </Empty>
      ) : (
        <table class="live" data-testid="live-events">
          <colgroup>
            <col style={{ width: "124px" }} />
            <col style={{ width: "96px" }} />
            <col style={{ width: "220px" }} />
            <col style={{ width: "110px" }} />
            <col style={{ width: "120px" }} />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th>Seen</th>
              <th>Outcome</th>
              <th>Event</th>
              <th>User</th>
              <th>Event id</th>
              <th>Properties / why rejected</th>
            </tr>
          </thead>
          <tbody>
            {events.map(({ n, e }) => (
              <Fragment key={n}>
                <tr class={open === n ? "selected" : ""} data-event-id={e.eventId}>
                  <td>{clock(e.seenAt)}</td>
                  <td>{e.accepted ? <span class="badge active">accepted</span> : <span class="badge failed">rejected</span>}</td>
                  <td>
                    {e.eventName || "?"} <span class="muted small">v{e.schemaVersion || "?"}</span>
                  </td>
                  <td>{e.userId}</td>
                  <td>
                    <button type="button" class="link" data-inspect={n} aria-expanded={open === n} aria-label={`Inspect ${e.eventName || "event"} ${e.eventId}`} onClick={() => (setOpen(open === n ? null : n), setPaused(true))}>
                      {e.eventId || "(no id)"}
                    </button>
                  </td>
                  <td class="props">
                    {e.accepted ? (
                      <code>{JSON.stringify(e.properties ?? {})}</code>
                    ) : (
                      <span class="bad">
                        <code>{e.reasons.join(", ")}</code> {e.message}
                      </span>
                    )}
                  </td>
                </tr>
                {open === n && (
                  <tr class="inspect">
                    <td colSpan={6}>
                      <p class="muted small">Inspecting {e.eventId || "the event"}: Escape closes it.</p>
                      <pre data-testid="inspected" tabIndex={0} aria-label="The inspected event; Escape closes it">{JSON.stringify({ accepted: e.accepted, reasons: e.reasons, message: e.message || undefined, properties: e.properties, record: e.record }, null, 2)}</pre>
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
