import type { DescFile } from "@bufbuild/protobuf";
import { startGrpcServer, type GrpcServerHandle, type ServiceRegistration } from "./grpc-server.js";
import type { Logger } from "./logger.js";
import type { ServerTls } from "./tls.js";
import { ServiceMetrics, startMetricsServer, type MetricsServer } from "./metrics.js";

/** What a Trackway service process serves. */
export interface ServiceOptions {
  /** Service name, used in logs and metric labels, for example `ingest`. */
  name: string;
  host: string;
  /** gRPC port; 0 picks a free one. */
  port: number;
  /** `/metrics` port; 0 picks a free one. */
  metricsPort: number;
  /** Address `/metrics` binds; `host` when omitted. Services default it to 127.0.0.1 apart from their gRPC host. */
  metricsHost?: string;
  services: ServiceRegistration[];
  descriptors: readonly DescFile[];
  logger: Logger;
  /** Metrics registry to serve; a new one when omitted. */
  metrics?: ServiceMetrics;
  maxReceiveMessageLength?: number;
  /** TLS for the gRPC server (mutual with a client CA); plaintext when unset. */
  tls?: ServerTls;
  /** Runs after the gRPC server stopped taking calls and drained, before the process ends (close pools, producers). */
  onStop?: () => Promise<void>;
}

/** A running service: gRPC (with health and reflection) plus `/metrics`. */
export interface RunningService {
  readonly grpc: GrpcServerHandle;
  readonly metricsServer: MetricsServer;
  readonly metrics: ServiceMetrics;
  /** `host:port` of the gRPC server. */
  readonly address: string;
  /** Drains in-flight calls (up to `graceMs`), runs `onStop`, closes `/metrics`. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts a Trackway service the same way for every service. */
export async function startService(opts: ServiceOptions): Promise<RunningService> {
  const metrics = opts.metrics ?? new ServiceMetrics(opts.name);
  const grpc = await startGrpcServer({ ...opts, metrics });
  const metricsServer = await startMetricsServer(metrics.registry, opts.metricsHost ?? opts.host, opts.metricsPort);
  opts.logger.info("metrics listening", { port: metricsServer.port });
  let stopping: Promise<void> | undefined;
  return {
    grpc,
    metricsServer,
    metrics,
    address: `${opts.host}:${grpc.port}`,
    stop: (graceMs) =>
      (stopping ??= (async () => {
        await grpc.shutdown(graceMs);
        await opts.onStop?.();
        await metricsServer.close();
        opts.logger.info("stopped");
      })()),
  };
}
