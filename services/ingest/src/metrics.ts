import { tenantMetricId } from "@trackway/auth";
import { LATENCY_BUCKETS, metricFactory } from "@trackway/runtime";
import type { Counter, Histogram, Registry } from "prom-client";
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
    const m = metricFactory(registry, "trackway_ingest_");
    this.accepted = m.counter("events_accepted_total", "Events accepted and acknowledged by Kafka.", ["tenant"]);
    this.rejected = m.counter("events_rejected_total", "Events rejected, by reason code; each is on the rejected topic.", ["tenant", "reason"]);
    this.warnings = m.counter("event_warnings_total", "Accepted events with a warning, by reason.", ["reason"]);
    this.outcomes = m.counter(
      "event_outcomes_total",
      "Events by tenant, event name, schema version, API key id and outcome (accepted, warned: broke a contract rule under WARN, rejected).",
      ["tenant", "event", "version", "key", "outcome"],
    );
    this.batches = m.counter("batches_total", "Batches handled, by RPC and outcome (ok or the refusal reason).", ["method", "outcome"]);
    this.batchSeconds = m.histogram("batch_seconds", "Time from receiving a batch to sending its result (Kafka acknowledgement included).", LATENCY_BUCKETS, ["method"]);
    this.batchEvents = m.histogram("batch_events", "Events per batch.", [1, 10, 50, 100, 250, 500, 1000, 2500, 5000]);
    this.produceSeconds = m.histogram("kafka_produce_seconds", "Time of one Kafka produce request until all in-sync replicas acknowledged it, by outcome.", LATENCY_BUCKETS, ["outcome"]);
    this.produceBatches = m.histogram("kafka_produce_batches", "gRPC batches carried by one Kafka produce request (group commit).", [1, 2, 4, 8, 16, 32, 64]);
    this.inFlight = m.counter("stream_pauses_total", "Times a stream stopped reading because its in-flight batch window was full.", ["method"]);
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
