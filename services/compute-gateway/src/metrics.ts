import { Counter, Histogram, type Registry } from "prom-client";

/** The compute gateway's own Prometheus metrics, registered on the service's registry (served at /metrics). */
export class ComputeMetrics {
  readonly queries: Counter<"kind" | "outcome">;
  readonly querySeconds: Histogram<"kind">;
  readonly rows: Counter<"kind">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.queries = new Counter({
      name: "trackway_compute_queries_total",
      help: "Queries by kind (sql, count_events, count_unique_users, funnel, list_tables) and outcome (ok, truncated, cancelled, or the error reason).",
      labelNames: ["kind", "outcome"],
      registers,
    });
    this.querySeconds = new Histogram({
      name: "trackway_compute_query_seconds",
      help: "Time from a query's arrival to its last row, by kind.",
      labelNames: ["kind"],
      buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300],
      registers,
    });
    this.rows = new Counter({ name: "trackway_compute_rows_returned_total", help: "Result rows sent to callers, by kind.", labelNames: ["kind"], registers });
  }

  /** Records one finished query. */
  record(kind: string, outcome: string, startedMs: number, rows: number): void {
    this.queries.inc({ kind, outcome });
    this.querySeconds.observe({ kind }, (Date.now() - startedMs) / 1000);
    if (rows > 0) this.rows.inc({ kind }, rows);
  }
}
