import {
  Server,
  ServerCredentials,
  ServerInterceptingCall,
  status,
  type ServerInterceptor,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { ReflectionService } from "@grpc/reflection";
import type { DescFile } from "@bufbuild/protobuf";
import { fileDescriptorProtoBytes } from "./file-descriptors.js";
import { HealthImplementation } from "grpc-health-check";
import { healthFileDescriptorBytes } from "./health-descriptor.js";
import type { Logger } from "./logger.js";
import type { ServiceMetrics } from "./metrics.js";
import { grpcServerCredentials, type ServerTls } from "./tls.js";

/** One gRPC service to serve: its generated definition and its implementation. */
export interface ServiceRegistration {
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

/** What startGrpcServer needs. */
export interface GrpcServerOptions {
  /** Address to bind, for example `127.0.0.1` or `0.0.0.0`. */
  host: string;
  /** Port to bind; 0 picks a free one. */
  port: number;
  services: ServiceRegistration[];
  /** Descriptors of the files declaring the services, for server reflection. */
  descriptors: readonly DescFile[];
  logger: Logger;
  metrics: ServiceMetrics;
  /** Largest message accepted, in bytes. @default 4 MiB */
  maxReceiveMessageLength?: number;
  /** TLS (mutual with a client CA); plaintext when unset. @default undefined */
  tls?: ServerTls;
}

/** A running gRPC server. */
export interface GrpcServerHandle {
  readonly port: number;
  readonly server: Server;
  readonly health: HealthImplementation;
  /** Stops accepting calls, lets in-flight calls finish for up to `graceMs`, then cuts the rest. */
  shutdown(graceMs?: number): Promise<void>;
}

/** Full name of the service a generated definition describes, for example `trackway.ingest.v1.IngestService`. */
export function serviceName(definition: ServiceDefinition): string {
  const first = Object.values(definition)[0];
  if (!first) throw new Error("service definition has no methods");
  return first.path.split("/")[1] ?? "";
}

function metricsInterceptor(metrics: ServiceMetrics, logger: Logger): ServerInterceptor {
  return (method, call) => {
    const started = process.hrtime.bigint();
    return new ServerInterceptingCall(call, {
      sendStatus: (s, next) => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        metrics.handled.inc({ method: method.path, code: status[s.code] ?? String(s.code) });
        metrics.latency.observe({ method: method.path }, seconds);
        if (s.code !== status.OK) logger.debug("call failed", { method: method.path, code: status[s.code], details: s.details });
        next(s);
      },
    });
  };
}

/** Starts a gRPC server with the services, grpc.health.v1 health checking, server reflection and call metrics. */
export async function startGrpcServer(opts: GrpcServerOptions): Promise<GrpcServerHandle> {
  const server = new Server({
    interceptors: [metricsInterceptor(opts.metrics, opts.logger)],
    "grpc.max_receive_message_length": opts.maxReceiveMessageLength ?? 4 * 1024 * 1024,
  });
  const names = opts.services.map((s) => serviceName(s.definition));
  for (const s of opts.services) server.addService(s.definition, s.implementation);

  const health = new HealthImplementation({ "": "NOT_SERVING", ...Object.fromEntries(names.map((n) => [n, "NOT_SERVING"])) });
  health.addToServer(server);

  // Reflection reads serialized FileDescriptorProtos: the services' own, and protoc's descriptor of health.proto
  // (proto-loader's conversion of it names the map entry wrongly, which protoc-based clients such as grpcurl refuse).
  const files = [...fileDescriptorProtoBytes(opts.descriptors), healthFileDescriptorBytes()].map((b) => Buffer.from(b));
  const reflectionPkg = { "trackway.files": { format: "Protocol Buffer 3 DescriptorProto", type: {}, fileDescriptorProtos: files } };
  new ReflectionService(reflectionPkg as never, { services: [...names, "grpc.health.v1.Health"] }).addToServer(server);

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${opts.host}:${opts.port}`, grpcServerCredentials(opts.tls), (err, p) => (err ? reject(err) : resolve(p))),
  );
  for (const n of ["", ...names]) health.setStatus(n, "SERVING");
  opts.logger.info("grpc server listening", { host: opts.host, port, services: names, tls: opts.tls ? (opts.tls.clientCa ? "mutual" : "on") : "off" });

  let closing: Promise<void> | undefined;
  const shutdown = (graceMs = 10_000): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      for (const n of ["", ...names]) health.setStatus(n, "NOT_SERVING");
      const timer = setTimeout(() => {
        opts.logger.warn("grace period over; cancelling calls still in flight", { graceMs });
        server.forceShutdown();
        resolve();
      }, graceMs);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    }));
  return { port, server, health, shutdown };
}
