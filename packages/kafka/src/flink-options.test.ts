import { describe, expect, it } from "vitest";
import type { KafkaSecurity } from "./connection.js";
import { flinkKafkaOptions } from "./flink-options.js";

const scram: KafkaSecurity = { protocol: "SASL_SSL", sasl: { mechanism: "SCRAM-SHA-256", username: "flink", password: 'p"w\\' }, tls: { ca: "CA", caFile: "/etc/kafka/ca.pem" }, flinkShaded: true };

describe("flinkKafkaOptions", () => {
  it("adds nothing for PLAINTEXT", () => {
    expect(flinkKafkaOptions({ protocol: "PLAINTEXT", flinkShaded: true })).toEqual({});
  });

  it("names the SQL connector's relocated SCRAM login module and escapes the password for JAAS", () => {
    expect(flinkKafkaOptions(scram)).toEqual({
      "properties.security.protocol": "SASL_SSL",
      "properties.sasl.mechanism": "SCRAM-SHA-256",
      "properties.sasl.jaas.config": 'org.apache.flink.kafka.shaded.org.apache.kafka.common.security.scram.ScramLoginModule required username="flink" password="p\\"w\\\\";',
      "properties.ssl.truststore.type": "PEM",
      "properties.ssl.truststore.location": "/etc/kafka/ca.pem",
    });
  });

  it("names the unrelocated PLAIN module for a cluster running the plain connector jar", () => {
    const o = flinkKafkaOptions({ protocol: "SASL_PLAINTEXT", sasl: { mechanism: "PLAIN", username: "u", password: "p" }, flinkShaded: false });
    expect(o["properties.sasl.jaas.config"]).toBe('org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";');
  });
});
