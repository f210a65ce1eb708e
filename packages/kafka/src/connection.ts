import { readFileSync } from "node:fs";
import { status } from "@grpc/grpc-js";
import { parseConfig, TrackwayError } from "@trackway/runtime";
import { KafkaEnv, type KafkaProtocol, type KafkaSettings, type SaslMechanism } from "./settings.js";

/** SASL credentials, compiled. */
export interface KafkaSasl {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

/** TLS material, compiled: file contents for kafkajs, the CA's path for Flink (which reads it on its own hosts). */
export interface KafkaTls {
  ca?: string;
  caFile?: string;
  cert?: string;
  key?: string;
}

/** How to reach and authenticate to Kafka: the one compiled form every client is built from. */
export interface KafkaSecurity {
  protocol: KafkaProtocol;
  sasl?: KafkaSasl;
  /** Present with SSL and SASL_SSL (empty: trust the system's CAs, no client certificate). */
  tls?: KafkaTls;
  /** Whether Flink's Kafka classes are the SQL connector's relocated ones. */
  flinkShaded: boolean;
}

/** Brokers plus security: what `createKafka` and the Flink DDL need. */
export interface KafkaConnectionConfig {
  brokers: string[];
  security: KafkaSecurity;
}

/** No security at all: the local stack's plaintext broker. */
export const PLAINTEXT: KafkaSecurity = { protocol: "PLAINTEXT", flinkShaded: true };

const invalid = (message: string, cause?: unknown) => new TrackwayError(status.FAILED_PRECONDITION, "KAFKA_CONFIG_INVALID", message, { cause });

function read(path: string, name: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw invalid(`${name}: cannot read ${path}: ${(e as Error).message}`, e);
  }
}

/**
 * Compiles the Kafka settings: checks that they fit together (SASL needs a mechanism, a user and exactly one of
 * password and password file; TLS files only with SSL/SASL_SSL; a certificate needs its key) and reads the files.
 * Throws KAFKA_CONFIG_INVALID naming the setting to fix.
 */
export function kafkaSecurityOf(s: Omit<KafkaSettings, "TRACKWAY_KAFKA_BROKERS">): KafkaSecurity {
  const protocol = s.TRACKWAY_KAFKA_SECURITY_PROTOCOL;
  const usesSasl = protocol === "SASL_PLAINTEXT" || protocol === "SASL_SSL";
  const usesTls = protocol === "SSL" || protocol === "SASL_SSL";
  const saslGiven = s.TRACKWAY_KAFKA_SASL_MECHANISM ?? s.TRACKWAY_KAFKA_SASL_USERNAME ?? s.TRACKWAY_KAFKA_SASL_PASSWORD ?? s.TRACKWAY_KAFKA_SASL_PASSWORD_FILE;
  const tlsGiven = s.TRACKWAY_KAFKA_SSL_CA_FILE ?? s.TRACKWAY_KAFKA_SSL_CERT_FILE ?? s.TRACKWAY_KAFKA_SSL_KEY_FILE;
  if (!usesSasl && saslGiven) throw invalid(`TRACKWAY_KAFKA_SASL_* settings are given but TRACKWAY_KAFKA_SECURITY_PROTOCOL is ${protocol}; set it to SASL_PLAINTEXT or SASL_SSL`);
  if (!usesTls && tlsGiven) throw invalid(`TRACKWAY_KAFKA_SSL_* settings are given but TRACKWAY_KAFKA_SECURITY_PROTOCOL is ${protocol}; set it to SSL or SASL_SSL`);
  const out: KafkaSecurity = { protocol, flinkShaded: s.TRACKWAY_KAFKA_FLINK_SHADED };
  if (usesSasl) {
    if (!s.TRACKWAY_KAFKA_SASL_MECHANISM) throw invalid(`${protocol} needs TRACKWAY_KAFKA_SASL_MECHANISM (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)`);
    if (!s.TRACKWAY_KAFKA_SASL_USERNAME) throw invalid(`${protocol} needs TRACKWAY_KAFKA_SASL_USERNAME`);
    if (s.TRACKWAY_KAFKA_SASL_PASSWORD && s.TRACKWAY_KAFKA_SASL_PASSWORD_FILE) throw invalid("give TRACKWAY_KAFKA_SASL_PASSWORD or TRACKWAY_KAFKA_SASL_PASSWORD_FILE, not both");
    const password = s.TRACKWAY_KAFKA_SASL_PASSWORD ?? (s.TRACKWAY_KAFKA_SASL_PASSWORD_FILE ? read(s.TRACKWAY_KAFKA_SASL_PASSWORD_FILE, "TRACKWAY_KAFKA_SASL_PASSWORD_FILE").replace(/\r?\n$/, "") : undefined);
    if (!password) throw invalid(`${protocol} needs TRACKWAY_KAFKA_SASL_PASSWORD_FILE (or TRACKWAY_KAFKA_SASL_PASSWORD)`);
    out.sasl = { mechanism: s.TRACKWAY_KAFKA_SASL_MECHANISM, username: s.TRACKWAY_KAFKA_SASL_USERNAME, password };
  }
  if (usesTls) {
    if (Boolean(s.TRACKWAY_KAFKA_SSL_CERT_FILE) !== Boolean(s.TRACKWAY_KAFKA_SSL_KEY_FILE)) throw invalid("a client certificate needs both TRACKWAY_KAFKA_SSL_CERT_FILE and TRACKWAY_KAFKA_SSL_KEY_FILE");
    out.tls = {};
    if (s.TRACKWAY_KAFKA_SSL_CA_FILE) out.tls = { ca: read(s.TRACKWAY_KAFKA_SSL_CA_FILE, "TRACKWAY_KAFKA_SSL_CA_FILE"), caFile: s.TRACKWAY_KAFKA_SSL_CA_FILE };
    if (s.TRACKWAY_KAFKA_SSL_CERT_FILE && s.TRACKWAY_KAFKA_SSL_KEY_FILE) {
      out.tls.cert = read(s.TRACKWAY_KAFKA_SSL_CERT_FILE, "TRACKWAY_KAFKA_SSL_CERT_FILE");
      out.tls.key = read(s.TRACKWAY_KAFKA_SSL_KEY_FILE, "TRACKWAY_KAFKA_SSL_KEY_FILE");
    }
  }
  return out;
}

/** Brokers and compiled security from parsed settings. */
export const kafkaConnectionOf = (s: KafkaSettings): KafkaConnectionConfig => ({ brokers: s.TRACKWAY_KAFKA_BROKERS, security: kafkaSecurityOf(s) });

/** Reads the Kafka settings from an environment (the CLI's and tests'), parsed and compiled. */
export const kafkaConnectionFromEnv = (env: Record<string, string | undefined> = process.env): KafkaConnectionConfig => kafkaConnectionOf(parseConfig(KafkaEnv, env));

/** What may be logged about the security: protocol, mechanism and user, never a password or a key. */
export function describeKafkaSecurity(s: KafkaSecurity): Record<string, string | boolean> {
  return {
    protocol: s.protocol,
    ...(s.sasl ? { saslMechanism: s.sasl.mechanism, saslUser: s.sasl.username } : {}),
    ...(s.tls ? { tlsCa: s.tls.caFile ?? "system", clientCertificate: s.tls.cert !== undefined } : {}),
  };
}
