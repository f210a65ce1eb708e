import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createKafka, PLAINTEXT, type KafkaSecurity } from "@trackway/kafka";
import { down, ensureStack, killPart, loadStackConfig, type StackEndpoints } from "@trackway/stack";
import { silentLogger } from "@trackway/runtime";
import type { IHeaders } from "kafkajs";

/** One record read back from a topic. */
export interface ReadRecord {
  partition: number;
  offset: string;
  key: string | null;
  value: Record<string, unknown>;
  headers: Record<string, string>;
}

const text = (h: IHeaders): Record<string, string> => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)]));

/**
 * Reads `topic` from the beginning until `done(records)` holds (or `timeoutMs` passes: then it throws with
 * how many records it had), with a throw-away consumer group.
 */
export async function readTopic(brokers: string[], topic: string, done: (records: ReadRecord[]) => boolean, timeoutMs = 60_000, security?: KafkaSecurity): Promise<ReadRecord[]> {
  const kafka = createKafka({ brokers, clientId: "trackway-it-reader", requestTimeoutMs: 10_000, security }, silentLogger);
  const groupId = `it-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  const records: ReadRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${records.length} records of ${topic} in ${timeoutMs} ms without reaching the expected state`)), timeoutMs);
      const check = () => {
        if (done(records)) {
          clearTimeout(timer);
          resolve();
        }
      };
      check();
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            for (const m of batch.messages) {
              records.push({
                partition: batch.partition,
                offset: m.offset,
                key: m.key?.toString("utf8") ?? null,
                value: JSON.parse(m.value!.toString("utf8")) as Record<string, unknown>,
                headers: text(m.headers ?? {}),
              });
            }
            check();
          },
        })
        .catch(reject);
    });
    return records;
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

/** The shared local stack (started when down) and topic names no other test uses. */
export async function sharedStack(): Promise<{ endpoints: StackEndpoints; topics: { events: string; rejected: string } }> {
  const endpoints = await ensureStack();
  const run = randomUUID().slice(0, 8);
  return { endpoints, topics: { events: `trackway.events.v1.it-${run}`, rejected: `trackway.events.rejected.v1.it-${run}` } };
}

/** Deletes a test's topics from the shared broker (missing ones are fine). */
export async function deleteTopics(brokers: string[], topics: string[], security?: KafkaSecurity): Promise<void> {
  const admin = createKafka({ brokers, clientId: "trackway-it-cleanup", requestTimeoutMs: 10_000, security }, silentLogger).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const mine = topics.filter((t) => existing.has(t));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine });
  } finally {
    await admin.disconnect();
  }
}

/** A Kafka broker of its own for a test that kills it, so that other users of the shared broker are not disturbed. */
export interface PrivateKafka {
  brokers: string[];
  /** How its super user connects (SASL when it was started with SCRAM users, else PLAINTEXT). */
  security: KafkaSecurity;
  /** How a SCRAM user connects (SASL_PLAINTEXT), with its password or the one given. */
  userSecurity(name: string, mechanism?: "SCRAM-SHA-256" | "SCRAM-SHA-512", password?: string): KafkaSecurity;
  /** SIGKILL, as a crash. */
  kill(): Promise<void>;
  /** Starts it again (same data dir) and waits until it is healthy. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Options of a private broker. */
export interface PrivateKafkaOptions {
  /** Its controller's port. @default port + 1 */
  controllerPort?: number;
  /** SCRAM users by name (a SASL_PLAINTEXT listener instead of PLAINTEXT); the first is its super user. */
  scramUsers?: Record<string, string>;
  /** Turn the ACL authorizer on (with scramUsers): only the super user may do what is not granted. */
  acls?: boolean;
}

/**
 * Starts a second single-node Kafka with the stack's own tooling, in a temporary state dir that shares the
 * stack's jars, on ports 19092/19093 unless told otherwise; Flink and PostgreSQL are named as external so only
 * Kafka starts. With `scramUsers` it listens with SASL_PLAINTEXT only (the stack's TRACKWAY_STACK_KAFKA_SCRAM_USERS).
 */
export async function privateKafka(shared: StackEndpoints, port = 19092, options: PrivateKafkaOptions = {}): Promise<PrivateKafka> {
  const main = loadStackConfig();
  const stateDir = await mkdtemp(path.join(tmpdir(), "trackway-kafka-"));
  await mkdir(stateDir, { recursive: true });
  await symlink(path.join(main.stateDir, "lib"), path.join(stateDir, "lib"));
  const env = {
    ...process.env,
    TRACKWAY_STATE_DIR: stateDir,
    TRACKWAY_KAFKA_PORT: String(port),
    TRACKWAY_KAFKA_CONTROLLER_PORT: String(options.controllerPort ?? port + 1),
    TRACKWAY_STACK_KAFKA_SCRAM_USERS: options.scramUsers ? Object.entries(options.scramUsers).map(([u, p]) => `${u}:${p}`).join(",") : undefined,
    TRACKWAY_STACK_KAFKA_ACLS: options.acls ? "true" : undefined,
    TRACKWAY_KAFKA_BROKERS: undefined,
    TRACKWAY_FLINK_REST_URL: shared.flinkRestUrl,
    TRACKWAY_SQL_GATEWAY_URL: shared.sqlGatewayUrl,
    DATABASE_URL: shared.databaseUrl,
  };
  const up = () => ensureStack({ env }).then(() => undefined);
  await up();
  const users = options.scramUsers ?? {};
  const userSecurity = (name: string, mechanism: "SCRAM-SHA-256" | "SCRAM-SHA-512" = "SCRAM-SHA-256", password = users[name] ?? ""): KafkaSecurity => ({
    protocol: "SASL_PLAINTEXT",
    sasl: { mechanism, username: name, password },
    flinkShaded: true,
  });
  const admin = Object.keys(users)[0];
  return {
    brokers: [`127.0.0.1:${port}`],
    security: admin ? userSecurity(admin) : PLAINTEXT,
    userSecurity,
    kill: async () => {
      await killPart("kafka", { env });
    },
    restart: up,
    stop: async () => {
      await down({ env, progress: "quiet" });
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
