import { kafkaSecurityOf, kafkaSettings, type KafkaSecurity } from "@trackway/kafka";
import { z } from "zod";

// Brokers stay a plain string here (commands split `--brokers`); the SASL/TLS settings are the services' own.
const { TRACKWAY_KAFKA_BROKERS: _brokers, ...kafkaSecurityFields } = kafkaSettings;

/**
 * Every environment variable the CLI reads, parsed once: commands take their defaults from here and nothing else
 * in the CLI reads `process.env` (the stack's own settings are read by `@trackway/stack`).
 */
const CliEnv = z.object({
  /** Ingest gRPC address. @default 127.0.0.1:50051 */
  TRACKWAY_INGEST_ADDRESS: z.string().min(1).default("127.0.0.1:50051"),
  /** Registry gRPC address. @default 127.0.0.1:50052 */
  TRACKWAY_REGISTRY_ADDRESS: z.string().min(1).default("127.0.0.1:50052"),
  /** Compute gateway gRPC address. @default 127.0.0.1:50053 */
  TRACKWAY_COMPUTE_ADDRESS: z.string().min(1).default("127.0.0.1:50053"),
  /** Kafka brokers, host:port,… @default 127.0.0.1:9092 */
  TRACKWAY_KAFKA_BROKERS: z.string().min(1).default("127.0.0.1:9092"),
  /** Kafka SASL/TLS of the CLI's own Kafka clients and Flink reads (TRACKWAY_KAFKA_SECURITY_PROTOCOL, TRACKWAY_KAFKA_SASL_*, TRACKWAY_KAFKA_SSL_*). */
  ...kafkaSecurityFields,
  /** API key sent to ingest, the registry and the compute gateway. @default none */
  TRACKWAY_API_KEY: z.string().min(1).optional(),
  /** API key with `schemas:read` that `trackway micro --registry` reads contracts with. @default none */
  TRACKWAY_REGISTRY_API_KEY: z.string().min(1).optional(),
  /** CA (PEM file) to trust when connecting to services over TLS. @default none (plaintext) */
  TRACKWAY_TLS_CA: z.string().min(1).optional(),
  /** Client certificate (PEM file) for mutual TLS. @default none */
  TRACKWAY_TLS_CLIENT_CERT: z.string().min(1).optional(),
  /** Private key (PEM file) of TRACKWAY_TLS_CLIENT_CERT. @default none */
  TRACKWAY_TLS_CLIENT_KEY: z.string().min(1).optional(),
  /** PostgreSQL URL for `db` and `keys`. @default the local stack's (with the password from its state dir) */
  DATABASE_URL: z.string().min(1).optional(),
  /** Secret ingest keys tenants' metric ids with (`trackway keys tenant-ids`). @default none (a fixed key) */
  TRACKWAY_METRICS_TENANT_SECRET: z.string().optional(),
  /** Operator tenant the demo issues its job-control key for. @default trackway-ops */
  TRACKWAY_DEMO_OPERATOR_TENANT: z.string().min(1).default("trackway-ops"),
  /** Who is recorded in the audit log and on created keys. @default cli */
  USER: z.string().min(1).default("cli"),
  /** Print stack traces of failures. @default off */
  TRACKWAY_DEBUG: z.string().optional().transform((v) => Boolean(v)),
  /** On CI, progress prints plain lines. @default off */
  CI: z.string().optional().transform((v) => v === "true"),
});

/** The CLI's environment, as parsed by `readCliEnv`. */
export type CliEnv = z.output<typeof CliEnv>;

/** Parses the CLI's environment; a bad value fails with the variable's name. */
export function readCliEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  // An empty variable counts as unset, as a shell's `X=` usually means.
  const r = CliEnv.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "")));
  if (r.success) return r.data;
  throw new Error(`invalid environment: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
}

/** The CLI's environment, parsed once when the CLI starts. */
export const cliEnv: CliEnv = readCliEnv();

let kafkaSecurity: KafkaSecurity | undefined;
/** The CLI's Kafka SASL/TLS, compiled on first use (only commands that talk to Kafka read the password file). */
export const cliKafkaSecurity = (): KafkaSecurity => (kafkaSecurity ??= kafkaSecurityOf(cliEnv));
