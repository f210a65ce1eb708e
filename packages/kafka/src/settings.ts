import { csv, flag } from "@trackway/runtime";
import { z } from "zod";

/** Kafka's security protocols, as Kafka names them (`security.protocol`). */
export const KAFKA_PROTOCOLS = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] as const;
/** The SASL mechanisms Trackway's clients speak (kafkajs and the Flink Kafka connector both do). */
export const SASL_MECHANISMS = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] as const;

/** A Kafka security protocol. */
export type KafkaProtocol = (typeof KAFKA_PROTOCOLS)[number];
/** A SASL mechanism. */
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

const file = (what: string) => z.string().min(1).optional().describe(`a path to ${what}`);

/**
 * The Kafka settings every process that talks to Kafka takes from its environment; spread into a service's config
 * schema (as `tlsSettings` is), then compiled once with `kafkaConnectionOf`.
 */
export const kafkaSettings = {
  /** Kafka bootstrap brokers. @default 127.0.0.1:9092 */
  TRACKWAY_KAFKA_BROKERS: csv("host:port Kafka brokers").default(["127.0.0.1:9092"]),
  /** How clients talk to the brokers: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. @default PLAINTEXT */
  TRACKWAY_KAFKA_SECURITY_PROTOCOL: z.enum(KAFKA_PROTOCOLS).default("PLAINTEXT").describe(`one of ${KAFKA_PROTOCOLS.join(", ")}`),
  /** SASL mechanism, required with SASL_PLAINTEXT and SASL_SSL. @default unset */
  TRACKWAY_KAFKA_SASL_MECHANISM: z.enum(SASL_MECHANISMS).optional().describe(`one of ${SASL_MECHANISMS.join(", ")}`),
  /** SASL user name. @default unset */
  TRACKWAY_KAFKA_SASL_USERNAME: z.string().min(1).optional().describe("a SASL user name"),
  /** SASL password; prefer TRACKWAY_KAFKA_SASL_PASSWORD_FILE, which keeps it out of the process environment. @default unset */
  TRACKWAY_KAFKA_SASL_PASSWORD: z.string().min(1).optional().describe("a SASL password"),
  /** File holding the SASL password (one line; a trailing newline is ignored). @default unset */
  TRACKWAY_KAFKA_SASL_PASSWORD_FILE: file("a file holding the SASL password"),
  /**
   * CA bundle (PEM) the brokers' certificates chain to, with SSL or SASL_SSL; unset trusts the system's CAs. Flink
   * jobs read the same path on the TaskManagers (`ssl.truststore.location`). @default unset
   */
  TRACKWAY_KAFKA_SSL_CA_FILE: file("a PEM CA bundle"),
  /** Client certificate (PEM) for brokers that require mutual TLS; needs TRACKWAY_KAFKA_SSL_KEY_FILE. @default unset */
  TRACKWAY_KAFKA_SSL_CERT_FILE: file("a PEM certificate chain"),
  /** Private key (PEM, unencrypted) of TRACKWAY_KAFKA_SSL_CERT_FILE. @default unset */
  TRACKWAY_KAFKA_SSL_KEY_FILE: file("a PEM private key"),
  /**
   * Whether Flink runs the SQL connector jar (`flink-sql-connector-kafka`), whose Kafka classes are relocated under
   * `org.apache.flink.kafka.shaded`; the JAAS login module is named accordingly. @default true
   */
  TRACKWAY_KAFKA_FLINK_SHADED: flag(true),
};

/** The Kafka settings, as a schema of their own (for tools that need only Kafka, e.g. the CLI and tests). */
export const KafkaEnv = z.object(kafkaSettings);

/** Parsed Kafka settings (the fields of `kafkaSettings`). */
export type KafkaSettings = z.output<typeof KafkaEnv>;
