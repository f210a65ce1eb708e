import type { AnswerFreshness } from "../../../src/api/wire";
import { ago, when } from "../ui";

/** Opens a statement in the page's SQL editor (and runs nothing: the visitor reads it, edits it, presses Run). */
export type OpenInEditor = (sql: string) => void;

/** How fresh an RPC's answer is, and the table it was read from. */
export function AnswerFreshnessLine({ f }: { f: AnswerFreshness }) {
  return (
    <p class="muted small" data-testid="freshness">
      {f.completeUpTo ? `Fresh up to ${when(f.completeUpTo)} (${ago(f.completeUpTo)})` : "No events of yours in the source yet"}
      {f.source ? `; read from ${f.source}.` : "."}
    </p>
  );
}

/** The SQL the gateway ran for an answer, folded, with a button that puts it in the SQL editor. */
export function RanSql({ sql, open, label = "SQL it ran" }: { sql: string; open: OpenInEditor; label?: string }) {
  if (!sql) return null;
  return (
    <details class="sql">
      <summary>{label}</summary>
      <pre data-testid="ran-sql">{sql}</pre>
      <button type="button" onClick={() => open(sql)}>
        Open in SQL editor
      </button>
    </details>
  );
}
