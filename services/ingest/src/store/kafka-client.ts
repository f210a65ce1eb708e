import { Kafka, logLevel, type LogEntry } from "kafkajs";
import type { Logger } from "@trackway/runtime";

/** How to reach Kafka. */
export interface KafkaConnection {
  brokers: string[];
  clientId: string;
  /** How long one request may wait for the broker before it counts as failed, ms. */
  requestTimeoutMs: number;
}

/**
 * A kafkajs client whose own log lines go to our logger at debug level: during a broker outage kafkajs logs
 * every retry, and ingest reports the outage once per failed produce itself.
 */
export function createKafka(c: KafkaConnection, logger: Logger): Kafka {
  const log = logger.child("kafkajs");
  return new Kafka({
    clientId: c.clientId,
    brokers: c.brokers,
    connectionTimeout: 3000,
    requestTimeout: c.requestTimeoutMs,
    // Fail a request within seconds while the broker is down; the gRPC client retries the whole batch.
    retry: { retries: 4, initialRetryTime: 100, maxRetryTime: 1000 },
    logLevel: logLevel.INFO,
    logCreator: () => (entry: LogEntry) => log.debug(entry.log.message, { namespace: entry.namespace, level: entry.level, error: entry.log.error }),
  });
}
