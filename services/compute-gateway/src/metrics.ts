import { metricFactory } from "@trackway/runtime";
import type { Counter, Histogram, Registry } from "prom-client";

/** The compute gateway's own Prometheus metrics, registered on the service's registry (served at /metrics). */
export class ComputeMetrics {
  readonly queries: Counter<"kind" | "outcome">;
  readonly querySeconds: Histogram<"kind">;
  readonly rows: Counter<"kind">;

  constructor(registry: Registry) {
    const m = metricFactory(registry, "trackway_compute_");
    this.queries = m.counter(
      "queries_total",
      "Queries by kind (sql, count_events, count_unique_users, funnel, list_tables) and outcome (ok, truncated, cancelled, or the error reason).",
      ["kind", "outcome"],
    );
    this.querySeconds = m.histogram("query_seconds", "Time from a query's arrival to its last row, by kind.", [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300], ["kind"]);
    this.rows = m.counter("rows_returned_total", "Result rows sent to callers, by kind.", ["kind"]);
  }

  /** Records one finished query. */
  record(kind: string, outcome: string, startedMs: number, rows: number): void {
    this.queries.inc({ kind, outcome });
    this.querySeconds.observe({ kind }, (Date.now() - startedMs) / 1000);
    if (rows > 0) this.rows.inc({ kind }, rows);
  }
}
