import path from "node:path";
import { checkHealth } from "@trackway/runtime";
import { loadStackConfig, repoRoot, type StackConfig } from "./config.js";
import { stackKafkaEnvironment } from "./kafka-sasl.js";
import { markerOf, type Part, type StackContext } from "./part.js";
import { spawnDetached } from "./process.js";
import { stackServiceKey } from "./service-key.js";

/** One Trackway service run as a background process beside the engines. */
interface ServiceSpec {
  name: string;
  label: string;
  /** Entry point, relative to the repository root. */
  main: string;
  /** gRPC port env var and default; the probe asks this port's grpc.health.v1. */
  grpc: { envVar: string; port: number };
  /** Other ports it binds (metrics, REST), for the port check. */
  otherPorts: { envVar: string; port: number }[];
  /** An HTTP service (the console): its main port answers `GET /healthz` instead of grpc.health.v1. */
  http?: boolean;
  /** Runs before each start (the console builds its app when its sources changed). */
  prepare?: () => Promise<void>;
  /** Reads the registry, so it needs the stack's service key (TRACKWAY_REGISTRY_API_KEY). */
  readsRegistry?: boolean;
}

const specs: ServiceSpec[] = [
  {
    name: "registry",
    label: "Trackway registry",
    main: "services/registry/src/main.ts",
    grpc: { envVar: "TRACKWAY_REGISTRY_PORT", port: 50052 },
    otherPorts: [
      { envVar: "TRACKWAY_REGISTRY_REST_PORT", port: 8091 },
      { envVar: "TRACKWAY_REGISTRY_METRICS_PORT", port: 9462 },
    ],
  },
  {
    name: "ingest",
    label: "Trackway ingest",
    main: "services/ingest/src/main.ts",
    grpc: { envVar: "TRACKWAY_INGEST_PORT", port: 50051 },
    otherPorts: [{ envVar: "TRACKWAY_INGEST_METRICS_PORT", port: 9461 }],
    readsRegistry: true,
  },
  {
    name: "compute-gateway",
    label: "Trackway compute gateway",
    main: "services/compute-gateway/src/main.ts",
    grpc: { envVar: "TRACKWAY_COMPUTE_PORT", port: 50053 },
    otherPorts: [{ envVar: "TRACKWAY_COMPUTE_METRICS_PORT", port: 9463 }],
    readsRegistry: true,
  },
  {
    name: "console",
    label: "Trackway console",
    main: "services/console/src/main.ts",
    grpc: { envVar: "TRACKWAY_CONSOLE_PORT", port: 8088 },
    otherPorts: [],
    http: true,
    prepare: async () => {
      // The built app is not committed: build it here when its sources changed (cached by a hash of them).
      const build = (await import(path.join(repoRoot, "scripts/build-console.mjs"))) as { buildConsole(): Promise<boolean> };
      await build.buildConsole();
    },
  },
];

/** The console's URL on the local stack. */
export const consoleUrl = (host: string): string => `http://${host}:${portOf(specs[3]!.grpc)}`;

const portOf = (p: { envVar: string; port: number }): number => Number(process.env[p.envVar] ?? p.port);

/**
 * Where a service finds the stack's engines and the other services: what `stack up` gives each service it starts,
 * and what `trackway stack env` prints for one started by hand (the database URL carries the generated password).
 */
export function stackServiceEnvironment(config: StackConfig = loadStackConfig()): Record<string, string> {
  const e = config.endpoints;
  return {
    DATABASE_URL: e.databaseUrl,
    TRACKWAY_KAFKA_BROKERS: e.kafkaBrokers.join(","),
    ...(config.external.kafka ? {} : stackKafkaEnvironment(config.kafkaSasl)),
    TRACKWAY_SQL_GATEWAY_URL: e.sqlGatewayUrl,
    TRACKWAY_FLINK_REST_URL: e.flinkRestUrl,
    TRACKWAY_HUDI_BASE_PATH: e.hudiBasePath,
    TRACKWAY_REGISTRY_ADDRESS: `${config.host}:${portOf(specs[0]!.grpc)}`,
    TRACKWAY_COMPUTE_ADDRESS: `${config.host}:${portOf(specs[2]!.grpc)}`,
  };
}

/** The environment a service gets: the caller's, with the engines' addresses filled in where unset. */
const serviceEnv = (ctx: StackContext): NodeJS.ProcessEnv => ({ ...stackServiceEnvironment(ctx.config), ...process.env });

function servicePart(spec: ServiceSpec): Part {
  const logFile = (ctx: StackContext) => path.join(ctx.paths.logs, `${spec.name}.log`);
  const address = (ctx: StackContext) => `${ctx.config.host}:${portOf(spec.grpc)}`;
  return {
    name: spec.name,
    label: spec.label,
    external: () => false,
    ports: () => [spec.grpc, ...spec.otherPorts].map((p) => ({ port: portOf(p), envVar: p.envVar })),
    logFiles: (ctx) => [logFile(ctx)],
    start: async (ctx) => {
      await spec.prepare?.();
      return spawnDetached(ctx.paths.run, {
        name: spec.name,
        command: process.execPath,
        // tsx runs the TypeScript as is; the marker argument (ignored by the service) lets `down` find it.
        args: ["--import", "tsx", path.join(repoRoot, spec.main), markerOf(ctx, spec.name)],
        // The caller's TRACKWAY_REGISTRY_API_KEY, if any, wins (serviceEnv spreads the environment last).
        env: spec.readsRegistry ? { TRACKWAY_REGISTRY_API_KEY: await stackServiceKey(ctx), ...serviceEnv(ctx) } : serviceEnv(ctx),
        cwd: repoRoot,
        outFile: logFile(ctx),
        marker: markerOf(ctx, spec.name),
      });
    },
    probe: (ctx) => async () => {
      if (spec.http) {
        const r = await fetch(`http://${address(ctx)}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (!r.ok) throw new Error(`GET /healthz answered ${r.status}`);
        return;
      }
      const s = await checkHealth(address(ctx), "", 2000);
      if (s !== "SERVING") throw new Error(`health is ${s}`);
    },
  };
}

/** The Trackway services (registry, ingest, compute gateway, console) as stack parts, started after the engines. */
export const serviceParts: Part[] = specs.map(servicePart);
