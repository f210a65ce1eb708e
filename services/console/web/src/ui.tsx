import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "./api";

/** The state of a load: pending, its value, or its error. */
export type Load<T> = { state: "loading" } | { state: "ok"; value: T } | { state: "error"; error: ApiError | Error };

/** Runs `fn` when `deps` change and keeps the latest answer; `reload` runs it again. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): [Load<T>, () => void] {
  const [load, setLoad] = useState<Load<T>>({ state: "loading" });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setLoad((l) => (l.state === "ok" ? l : { state: "loading" }));
    fn().then(
      (value) => live && setLoad({ state: "ok", value }),
      (error: Error) => live && setLoad({ state: "error", error }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return [load, () => setTick((t) => t + 1)];
}

/** An error box with the reason code, as the services chose it. */
export function ErrorBox({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const reason = error instanceof ApiError ? error.reason : "ERROR";
  return (
    <div class="error" role="alert">
      <strong>{reason}</strong> {error.message}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

/** What an empty list says, and what to do about it. */
export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

/** Shows a load: a spinner line, the error, or `children(value)`. */
export function Loaded<T>({ load, retry, children }: { load: Load<T>; retry?: () => void; children: (v: T) => ComponentChildren }) {
  if (load.state === "loading") return <p class="muted" aria-busy="true">Loading…</p>;
  if (load.state === "error") return <ErrorBox error={load.error} onRetry={retry} />;
  return <>{children(load.value)}</>;
}

/** A time for people: local date and time to the second. */
export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString("en-GB", { hour12: false }) : "—");

/** How long ago, roughly. */
export function ago(iso: string | null | undefined): string {
  if (!iso) return "never";
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/** Shows the SQL an answer ran, folded. */
export function SqlShown({ sql, label = "SQL it ran" }: { sql: string; label?: string }) {
  return (
    <details class="sql">
      <summary>{label}</summary>
      <pre>{sql}</pre>
    </details>
  );
}
