import { useState } from "preact/hooks";
import type { ReplayAnswer, ReplayForm } from "../../../src/api/wire";
import { api } from "../api";
import { ErrorBox } from "../ui";

/**
 * Repair and replay the selected rejected events, as `trackway events replay` does: overwrite the event name, re-encode
 * for another schema version and/or replace the properties, preview the repaired events, then send them again through
 * ingest with the same ids and see ingest's answer per event.
 */
export function ReplayPanel({ selected, clear }: { selected: string[]; clear: () => void }) {
  const [eventName, setEventName] = useState("");
  const [version, setVersion] = useState("latest");
  const [properties, setProperties] = useState("");
  const [state, setState] = useState<{ busy: boolean; answer?: ReplayAnswer; error?: Error }>({ busy: false });
  const send = async (dryRun: boolean) => {
    setState({ busy: true });
    try {
      const form: ReplayForm = { eventIds: selected, dryRun };
      if (eventName.trim()) form.header = { eventName: eventName.trim() };
      if (version === "latest") form.toVersion = "latest";
      else if (version.trim() !== "" && version !== "keep") form.toVersion = Number(version);
      if (properties.trim()) form.properties = JSON.parse(properties) as unknown;
      const answer = await api<ReplayAnswer>("/api/failures/replay", { method: "POST", body: form });
      setState({ busy: false, answer });
      if (!dryRun) clear();
    } catch (error) {
      setState({ busy: false, error: error as Error });
    }
  };
  return (
    <section class="panel" aria-labelledby="replay-title">
      <h2 id="replay-title">Repair and replay</h2>
      <p class="muted small">
        {selected.length === 0 ? "Select rejected events above (the check boxes) to repair and send them again." : `${selected.length} event(s) selected.`} The same as{" "}
        <code>trackway events replay</code>: same event ids, so the warehouse keeps one row per event.
      </p>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void send(false);
        }}
      >
        <label>
          Event name <input name="replay-event-name" placeholder="keep" value={eventName} onInput={(e) => setEventName((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Schema version{" "}
          <select name="replay-version" value={version === "latest" || version === "keep" ? version : "number"} onChange={(e) => setVersion((e.target as HTMLSelectElement).value === "number" ? "1" : (e.target as HTMLSelectElement).value)}>
            <option value="keep">keep</option>
            <option value="latest">newest usable</option>
            <option value="number">number…</option>
          </select>
          {version !== "latest" && version !== "keep" && <input type="number" aria-label="Version number" min={1} value={version} onInput={(e) => setVersion((e.target as HTMLInputElement).value)} />}
        </label>
        <label class="grow">
          Properties (protobuf JSON, replaces them)
          <input name="replay-properties" placeholder='keep, or {"pageType": "home"}' value={properties} onInput={(e) => setProperties((e.target as HTMLInputElement).value)} />
        </label>
        <button type="button" disabled={state.busy || selected.length === 0} onClick={() => void send(true)}>
          Preview
        </button>
        <button type="submit" disabled={state.busy || selected.length === 0}>
          {state.busy ? "Working…" : `Replay ${selected.length || ""}`.trim()}
        </button>
      </form>
      {state.error && <ErrorBox error={state.error} />}
      {state.answer && <ReplayResult a={state.answer} />}
    </section>
  );
}

function ReplayResult({ a }: { a: ReplayAnswer }) {
  const counts = a.events.reduce<Record<string, number>>((m, e) => ({ ...m, [e.outcome]: (m[e.outcome] ?? 0) + 1 }), {});
  return (
    <div data-testid="replay-result" data-dry-run={String(a.dryRun)}>
      <p role="status">
        {a.dryRun ? "Preview: nothing sent. " : "Sent again through ingest: "}
        {Object.entries(counts)
          .map(([k, n]) => `${n} ${k}`)
          .join(", ") || "nothing to send"}
        {a.notFound.length > 0 && `; ${a.notFound.length} no longer held by the console`}.
      </p>
      <table>
        <thead>
          <tr>
            <th>Event id</th>
            <th>Event</th>
            <th>Outcome</th>
            <th>Properties sent</th>
          </tr>
        </thead>
        <tbody>
          {a.events.map((e) => (
            <tr key={e.eventId} data-testid="replayed" data-event-id={e.eventId} data-outcome={e.outcome}>
              <td class="small">{e.eventId}</td>
              <td>
                {e.eventName} <span class="muted">v{e.schemaVersion}</span>
              </td>
              <td class={e.outcome === "accepted" ? "ok" : e.outcome === "rejected" || e.outcome === "skipped" ? "bad" : ""}>
                {e.outcome}
                {e.reason && (
                  <div class="small">
                    <code>{e.reason}</code> {e.message}
                  </div>
                )}
              </td>
              <td class="small">
                <code>{e.properties === null ? "" : JSON.stringify(e.properties)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
