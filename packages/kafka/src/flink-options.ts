import type { KafkaSecurity } from "./connection.js";

const LOGIN_MODULE = { PLAIN: "plain.PlainLoginModule", "SCRAM-SHA-256": "scram.ScramLoginModule", "SCRAM-SHA-512": "scram.ScramLoginModule" } as const;
// flink-sql-connector-kafka relocates the Kafka client, so the JAAS login module has to be named by its relocated class.
const SHADED_PREFIX = "org.apache.flink.kafka.shaded.";

/** A value inside a JAAS option's double quotes. */
const jaasQuoted = (v: string) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/**
 * The Flink Kafka connector options (`properties.*`, passed through to the Kafka client) for the compiled
 * security; empty for PLAINTEXT. The values hold the password, so they go only into a session's DDL, never into a
 * job's stored parameters or a log line.
 */
export function flinkKafkaOptions(s: KafkaSecurity): Record<string, string> {
  if (s.protocol === "PLAINTEXT") return {};
  const out: Record<string, string> = { "properties.security.protocol": s.protocol };
  if (s.sasl) {
    const module = `${s.flinkShaded ? SHADED_PREFIX : ""}org.apache.kafka.common.security.${LOGIN_MODULE[s.sasl.mechanism]}`;
    out["properties.sasl.mechanism"] = s.sasl.mechanism;
    out["properties.sasl.jaas.config"] = `${module} required username=${jaasQuoted(s.sasl.username)} password=${jaasQuoted(s.sasl.password)};`;
  }
  if (s.tls?.caFile) {
    // Kafka clients read PEM trust stores since 2.7; the path is read on the TaskManagers.
    out["properties.ssl.truststore.type"] = "PEM";
    out["properties.ssl.truststore.location"] = s.tls.caFile;
  }
  if (s.tls?.cert && s.tls.key) {
    out["properties.ssl.keystore.type"] = "PEM";
    out["properties.ssl.keystore.certificate.chain"] = s.tls.cert;
    out["properties.ssl.keystore.key"] = s.tls.key;
  }
  return out;
}
