import { tenantMetricId } from "@trackway/auth";
import { Counter, Histogram, type Registry } from "prom-client";
import type { ProduceObserver } from "./store/event-producer.js";

/** Ingest's own Prometheus metrics, registered on the service's registry (served at /metrics). */
export class IngestMetrics implements ProduceObserver {
  private readonly tenantLabels = new Map<string, string>();
  readonly accepted: Counter<"tenant">;
  readonly rejected: Counter<"tenant" | "reason">;
  readonly warnings: Counter<"reason">;
  readonly batches: Counter<"method" | "outcome">;
  readonly batchSeconds: Histogram<"method">;
  readonly batchEvents: Histogram;
  readonly produceSeconds: Histogram<"outcome">;
  readonly produceBatches: Histogram;
  readonly inFlight: Counter<"method">;
  readonly outcomes: Counter<"tenant" | "event" | "version" | "key" | "outcome">;

  /** `tenants`: `id` labels tenants with `tenantMetricId` (keyed with `secret`), `name` with their names. */
  constructor(
    registry: Registry,
    private readonly tenants: { mode: "id" | "name"; secret?: string } = { mode: "id" },
  ) {
    const registers = [registry];
    this.accepted = new Counter({ name: "trackway_ingest_events_accepted_total", help: "Events accepted and acknowledged by Kafka.", labelNames: ["tenant"], registers });
    this.rejected = new Counter({
      name: "trackway_ingest_events_rejected_total",
      help: "Events rejected, by reason code; each is on the rejected topic.",
      labelNames: ["tenant", "reason"],
      registers,
    });
    this.warnings = new Counter({ name: "trackway_ingest_event_warnings_total", help: "Accepted events with a warning, by reason.", labelNames: ["reason"], registers });
    this.outcomes = new Counter({
      name: "trackway_ingest_event_outcomes_total",
      help: "Events by tenant, event name, schema version, API key id and outcome (accepted, warned: broke a contract rule under WARN, rejected).",
      labelNames: ["tenant", "event", "version", "key", "outcome"],
      registers,
    });
    this.batches = new Counter({
      name: "trackway_ingest_batches_total",
      help: "Batches handled, by RPC and outcome (ok or the refusal reason).",
      labelNames: ["method", "outcome"],
      registers,
    });
    this.batchSeconds = new Histogram({
      name: "trackway_ingest_batch_seconds",
      help: "Time from receiving a batch to sending its result (Kafka acknowledgement included).",
      labelNames: ["method"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.batchEvents = new Histogram({
      name: "trackway_ingest_batch_events",
      help: "Events per batch.",
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    });
    this.produceSeconds = new Histogram({
      name: "trackway_ingest_kafka_produce_seconds",
      help: "Time of one Kafka produce request until all in-sync replicas acknowledged it, by outcome.",
      labelNames: ["outcome"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.produceBatches = new Histogram({
      name: "trackway_ingest_kafka_produce_batches",
      help: "gRPC batches carried by one Kafka produce request (group commit).",
      buckets: [1, 2, 4, 8, 16, 32, 64],
      registers,
    });
    this.inFlight = new Counter({ name: "trackway_ingest_stream_pauses_total", help: "Times a stream stopped reading because its in-flight batch window was full.", labelNames: ["method"], registers });
  }

  /** The `tenant` label of a tenant (its opaque id unless names are turned on). */
  tenant(tenant: string): string {
    if (this.tenants.mode === "name") return tenant;
    let id = this.tenantLabels.get(tenant);
    if (id === undefined) {
      if (this.tenantLabels.size >= 10_000) this.tenantLabels.clear();
      this.tenantLabels.set(tenant, (id = tenantMetricId(tenant, this.tenants.secret)));
    }
    return id;
  }

  onProduce(seconds: number, _records: number, batches: number, ok: boolean): void {
    this.produceSeconds.observe({ outcome: ok ? "ok" : "error" }, seconds);
    if (ok) this.produceBatches.observe(batches);
  }
}
