import { Kafka, logLevel, type KafkaConfig, type LogEntry, type SASLOptions } from "kafkajs";
import type { Logger } from "@trackway/runtime";
import { PLAINTEXT, type KafkaSecurity } from "./connection.js";

/** How one client reaches Kafka. */
export interface KafkaConnection {
  brokers: string[];
  clientId: string;
  /** How long one request may wait for the broker before it counts as failed, ms. */
  requestTimeoutMs: number;
  /** SASL/TLS, compiled from the TRACKWAY_KAFKA_* settings. @default PLAINTEXT */
  security?: KafkaSecurity;
}

const MECHANISM = { PLAIN: "plain", "SCRAM-SHA-256": "scram-sha-256", "SCRAM-SHA-512": "scram-sha-512" } as const;

/** The `ssl` and `sasl` options of a kafkajs client for the compiled security. */
export function kafkajsSecurity(s: KafkaSecurity = PLAINTEXT): Pick<KafkaConfig, "ssl" | "sasl"> {
  const out: Pick<KafkaConfig, "ssl" | "sasl"> = {};
  if (s.tls) {
    const { ca, cert, key } = s.tls;
    out.ssl = ca || cert ? { ...(ca ? { ca: [ca] } : {}), ...(cert ? { cert, key } : {}) } : true;
  }
  if (s.sasl) out.sasl = { mechanism: MECHANISM[s.sasl.mechanism], username: s.sasl.username, password: s.sasl.password } as SASLOptions;
  return out;
}

/**
 * A kafkajs client whose own log lines go to our logger at debug level: during a broker outage kafkajs logs
 * every retry, and the caller reports the outage once per failed request itself. Every Trackway Kafka client is
 * made here, so SASL/TLS apply everywhere alike.
 */
export function createKafka(c: KafkaConnection, logger: Logger): Kafka {
  const log = logger.child("kafkajs");
  return new Kafka({
    clientId: c.clientId,
    brokers: c.brokers,
    ...kafkajsSecurity(c.security),
    connectionTimeout: 3000,
    requestTimeout: c.requestTimeoutMs,
    // Fail a request within seconds while the broker is down; callers retry the whole operation.
    retry: { retries: 4, initialRetryTime: 100, maxRetryTime: 1000 },
    logLevel: logLevel.INFO,
    logCreator: () => (entry: LogEntry) => log.debug(entry.log.message, { namespace: entry.namespace, level: entry.level, error: entry.log.error }),
  });
}
