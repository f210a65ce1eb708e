import { setTimeout as sleep } from "node:timers/promises";
import { FlinkRestClient, SqlGatewayClient } from "@trackway/flink";
import { kafkajsSecurity, type KafkaSecurity } from "@trackway/kafka";
import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { healthTimeout, processDied } from "./errors.js";
import { isAlive, tailFile, type PidRecord } from "./process.js";

/** One health probe: resolves when healthy, throws with a short reason when not (yet). */
export type Probe = () => Promise<void>;


/**
 * Polls `probe` until it passes. When `record` is given and its process dies meanwhile, fails at once
 * with the tail of `logFile`; after `timeoutSeconds`, fails with the probe's last error.
 */
export async function waitHealthy(
  part: string,
  probe: Probe,
  opts: { timeoutSeconds: number; record?: PidRecord; logFiles?: string[] },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutSeconds * 1000;
  let last = "no answer yet";
  for (;;) {
    try {
      await probe();
      return;
    } catch (e) {
      last = (e as Error).message;
    }
    if (opts.record && !isAlive(opts.record)) {
      const files = opts.logFiles ?? [];
      throw processDied(part, files.join(" and "), await tailLogs(files));
    }
    if (Date.now() > deadline) throw healthTimeout(part, opts.timeoutSeconds, last, opts.logFiles?.join(" and "));
    await sleep(500);
  }
}

/** The tails of several log files, each under its name. */
export async function tailLogs(files: string[], lines = 25): Promise<string> {
  const parts = await Promise.all(files.map(async (f) => `--- ${f}\n${await tailFile(f, lines)}`));
  return parts.join("\n");
}

/** Kafka answers a metadata request (describeCluster) through kafkajs' admin client, with SASL/TLS when given. */
export const kafkaProbe = (brokers: string[], security?: KafkaSecurity): Probe => async () => {
  const admin = new Kafka({
    clientId: "trackway-stack-health",
    brokers,
    ...kafkajsSecurity(security),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error("no broker in metadata");
  } finally {
    await admin.disconnect().catch(() => {});
  }
};

/** Flink REST `/overview` shows a TaskManager, with a free slot when `needFreeSlot`. */
export const flinkProbe = (restUrl: string, needFreeSlot: boolean): Probe => async () => {
  const o = await new FlinkRestClient({ baseUrl: restUrl }).clusterOverview(AbortSignal.timeout(3000));
  if (o.taskmanagers < 1) throw new Error("no TaskManager registered");
  if (needFreeSlot && o["slots-available"] < 1) throw new Error("no free task slot");
};

/** The Flink REST server answers (the JobManager is up, TaskManagers aside). */
export const jobManagerProbe = (restUrl: string): Probe => async () => {
  await new FlinkRestClient({ baseUrl: restUrl }).clusterConfig(AbortSignal.timeout(3000));
};

/** SQL Gateway `/v1/info` answers. */
export const sqlGatewayProbe = (gatewayUrl: string): Probe => async () => {
  await new SqlGatewayClient({ baseUrl: gatewayUrl }).info(AbortSignal.timeout(3000));
};

/** Postgres accepts a connection and runs `SELECT 1`. */
export const postgresProbe = (databaseUrl: string): Probe => async () => {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
  } finally {
    await client.end().catch(() => {});
  }
};
