import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

/** A service's Prometheus registry with the gRPC server metrics every service records. */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly handled: Counter<"method" | "code">;
  readonly latency: Histogram<"method">;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.handled = new Counter({
      name: "grpc_server_handled_total",
      help: "gRPC calls completed, by method and status code.",
      labelNames: ["method", "code"],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: "grpc_server_handling_seconds",
      help: "Time from a gRPC call's start to its status, by method.",
      labelNames: ["method"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
  }
}

/** Buckets (seconds) for a step that usually takes milliseconds and at worst seconds: 1 ms to 10 s. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Makes a service's own metrics: each registered on `registry`, its name prefixed with `prefix` (`trackway_ingest_`). */
export interface MetricFactory {
  counter<L extends string = string>(name: string, help: string, labelNames?: readonly L[]): Counter<L>;
  histogram<L extends string = string>(name: string, help: string, buckets: number[], labelNames?: readonly L[]): Histogram<L>;
}

/** A `MetricFactory` on `registry`. */
export function metricFactory(registry: Registry, prefix: string): MetricFactory {
  const registers = [registry];
  return {
    counter: (name, help, labelNames = []) => new Counter({ name: `${prefix}${name}`, help, labelNames, registers }),
    histogram: (name, help, buckets, labelNames = []) => new Histogram({ name: `${prefix}${name}`, help, labelNames, buckets, registers }),
  };
}

/** A running `/metrics` HTTP endpoint. */
export interface MetricsServer {
  readonly port: number;
  /** The address it is bound to, for example `127.0.0.1`. */
  readonly address: string;
  close(): Promise<void>;
}

/** Serves the registry in Prometheus text format at `GET /metrics` on host:port (port 0 picks a free one). */
export async function startMetricsServer(registry: Registry, host: string, port: number): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== "GET" || req.url?.split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found; metrics are at /metrics\n");
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
      (e: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(String(e)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    address: (server.address() as AddressInfo).address,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
