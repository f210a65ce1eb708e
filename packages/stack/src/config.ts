import path from "node:path";
import { localPostgresPassword } from "./postgres-password.js";
import { fileURLToPath } from "node:url";
import { kafkaConnectionFromEnv, PLAINTEXT, type KafkaSecurity } from "@trackway/kafka";
import { z } from "zod";
import { configInvalid } from "./errors.js";

/** The repository root (where `.trackway/` and `stack/` live), found from this file's location. */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const memory = (fallback: string) =>
  z.string().regex(/^\d+[mg]$/, "a size like 512m or 2g").default(fallback);
const optionalUrl = z.string().url().optional();

const StackEnv = z.object({
  TRACKWAY_STATE_DIR: z.string().min(1).default(path.join(repoRoot, ".trackway")),
  TRACKWAY_STACK_HOST: z.string().min(1).default("127.0.0.1"),
  TRACKWAY_KAFKA_PORT: port(9092),
  TRACKWAY_KAFKA_CONTROLLER_PORT: port(9093),
  TRACKWAY_FLINK_REST_PORT: port(8081),
  TRACKWAY_FLINK_RPC_PORT: port(6123),
  TRACKWAY_SQL_GATEWAY_PORT: port(8083),
  TRACKWAY_PG_PORT: port(5432),
  TRACKWAY_KAFKA_HEAP: memory("512m"),
  // A local broker with a SASL_PLAINTEXT (SCRAM) listener instead of PLAINTEXT: "name:password,…", the first is its super user.
  TRACKWAY_STACK_KAFKA_SCRAM_USERS: z
    .string()
    .regex(/^[A-Za-z0-9._-]+:[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+:[A-Za-z0-9._-]+)*$/, "name:password pairs, comma-separated (letters, digits, . _ -)")
    .optional(),
  TRACKWAY_STACK_KAFKA_ACLS: z.enum(["true", "false"]).default("false"),
  TRACKWAY_FLINK_JM_MEMORY: memory("1024m"),
  TRACKWAY_FLINK_TM_MEMORY: memory("3072m"),
  TRACKWAY_FLINK_TM_SLOTS: z.coerce.number().int().min(1).max(64).default(8),
  TRACKWAY_SQL_GATEWAY_HEAP: memory("512m"),
  TRACKWAY_STACK_TIMEOUT_S: z.coerce.number().int().min(5).default(180),
  TRACKWAY_JAVA_HOME: z.string().optional(),
  JAVA_HOME: z.string().optional(),
  TRACKWAY_MVN: z.string().default("mvn"),
  // External endpoints: each one set means that part is not started here, only checked.
  TRACKWAY_KAFKA_BROKERS: z.string().optional(),
  TRACKWAY_FLINK_REST_URL: optionalUrl,
  TRACKWAY_SQL_GATEWAY_URL: optionalUrl,
  TRACKWAY_HUDI_BASE_PATH: z.string().optional(),
  DATABASE_URL: z.string().optional(),
});

/** The stack's compiled configuration; every address and port comes from here. */
export interface StackConfig {
  /** Root of all local state (logs, data, jars, pid files). @default "<repo>/.trackway" */
  stateDir: string;
  /** Host the local processes bind to and advertise. @default "127.0.0.1" */
  host: string;
  ports: { kafka: number; kafkaController: number; flinkRest: number; flinkRpc: number; sqlGateway: number; postgres: number };
  memory: { kafkaHeap: string; jobManager: string; taskManager: string; sqlGatewayHeap: string };
  /** Task slots of the one TaskManager: streaming jobs hold one each, queries need a free one. @default 8 */
  taskSlots: number;
  /** How long to wait for each part to become healthy, in seconds. @default 180 */
  timeoutSeconds: number;
  /** JDK home to run the JVMs with, or undefined to use `java` on PATH. */
  javaHome: string | undefined;
  /** The Maven command. @default "mvn" */
  mvn: string;
  /**
   * The local broker's SASL listener: SCRAM users (SCRAM-SHA-256 and -512) created when its storage is formatted, the
   * first being the broker's own and super user; ACLs on means only the super user may do anything not granted.
   * @default undefined (a PLAINTEXT listener)
   */
  kafkaSasl?: { users: { name: string; password: string }[]; acls: boolean };
  /** SASL/TLS the probe uses for an external Kafka (TRACKWAY_KAFKA_SECURITY_PROTOCOL, TRACKWAY_KAFKA_SASL_*, …). @default PLAINTEXT */
  externalKafkaSecurity: KafkaSecurity;
  /** Which parts are run by someone else (only health-checked). */
  external: { kafka: boolean; flink: boolean; sqlGateway: boolean; postgres: boolean };
  endpoints: StackEndpoints;
}

/** Where the services find the engines: local defaults or real clusters from the environment. */
export interface StackEndpoints {
  kafkaBrokers: string[];
  flinkRestUrl: string;
  sqlGatewayUrl: string;
  /** Base path of the Hudi tables (`file://…` locally, object storage in production). */
  hudiBasePath: string;
  databaseUrl: string;
}

/** Parses the stack's environment variables once; the error names each bad key. */
export function loadStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const r = StackEnv.safeParse(env);
  if (!r.success) throw configInvalid(r.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`));
  const e = r.data;
  if (e.TRACKWAY_FLINK_REST_URL && !e.TRACKWAY_SQL_GATEWAY_URL) {
    // A local gateway would submit to the local cluster, not the external one.
    throw configInvalid(["  TRACKWAY_SQL_GATEWAY_URL: required when TRACKWAY_FLINK_REST_URL points at an external cluster"]);
  }
  const stateDir = path.resolve(e.TRACKWAY_STATE_DIR);
  const host = e.TRACKWAY_STACK_HOST;
  const ports = {
    kafka: e.TRACKWAY_KAFKA_PORT,
    kafkaController: e.TRACKWAY_KAFKA_CONTROLLER_PORT,
    flinkRest: e.TRACKWAY_FLINK_REST_PORT,
    flinkRpc: e.TRACKWAY_FLINK_RPC_PORT,
    sqlGateway: e.TRACKWAY_SQL_GATEWAY_PORT,
    postgres: e.TRACKWAY_PG_PORT,
  };
  return {
    stateDir,
    host,
    ports,
    memory: {
      kafkaHeap: e.TRACKWAY_KAFKA_HEAP,
      jobManager: e.TRACKWAY_FLINK_JM_MEMORY,
      taskManager: e.TRACKWAY_FLINK_TM_MEMORY,
      sqlGatewayHeap: e.TRACKWAY_SQL_GATEWAY_HEAP,
    },
    taskSlots: e.TRACKWAY_FLINK_TM_SLOTS,
    externalKafkaSecurity: e.TRACKWAY_KAFKA_BROKERS !== undefined ? kafkaConnectionFromEnv(env).security : PLAINTEXT,
    kafkaSasl: e.TRACKWAY_STACK_KAFKA_SCRAM_USERS
      ? {
          users: e.TRACKWAY_STACK_KAFKA_SCRAM_USERS.split(",").map((pair) => {
            const [name, password] = pair.split(":") as [string, string];
            return { name, password };
          }),
          acls: e.TRACKWAY_STACK_KAFKA_ACLS === "true",
        }
      : undefined,
    timeoutSeconds: e.TRACKWAY_STACK_TIMEOUT_S,
    javaHome: e.TRACKWAY_JAVA_HOME ?? e.JAVA_HOME,
    mvn: e.TRACKWAY_MVN,
    external: {
      kafka: e.TRACKWAY_KAFKA_BROKERS !== undefined,
      flink: e.TRACKWAY_FLINK_REST_URL !== undefined,
      sqlGateway: e.TRACKWAY_SQL_GATEWAY_URL !== undefined,
      postgres: e.DATABASE_URL !== undefined,
    },
    endpoints: {
      kafkaBrokers: (e.TRACKWAY_KAFKA_BROKERS ?? `${host}:${ports.kafka}`).split(",").map((s) => s.trim()),
      flinkRestUrl: stripSlash(e.TRACKWAY_FLINK_REST_URL ?? `http://${host}:${ports.flinkRest}`),
      sqlGatewayUrl: stripSlash(e.TRACKWAY_SQL_GATEWAY_URL ?? `http://${host}:${ports.sqlGateway}`),
      hudiBasePath: stripSlash(e.TRACKWAY_HUDI_BASE_PATH ?? `file://${path.join(stateDir, "hudi")}`),
      databaseUrl: e.DATABASE_URL ?? `postgres://postgres:${encodeURIComponent(localPostgresPassword(stateDir))}@${host}:${ports.postgres}/trackway`,
    },
  };
}

const stripSlash = (s: string) => s.replace(/\/+$/, "");
