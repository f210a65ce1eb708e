import { describe, expect, it } from "vitest";
import { explainKafkaError } from "./errors.js";

const sasl = { protocol: "SASL_PLAINTEXT" as const, sasl: { mechanism: "SCRAM-SHA-256" as const, username: "ingest", password: "wrong-pw" }, flinkShaded: true };

describe("explainKafkaError", () => {
  it("turns kafkajs' SASL failure into KAFKA_AUTH_FAILED naming the user and the settings, not the password", () => {
    const e = explainKafkaError(new Error("SASL SCRAM SHA256 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256"), sasl);
    expect(e).toMatchObject({ reason: "KAFKA_AUTH_FAILED" });
    expect(e!.message).toContain('user "ingest"');
    expect(e!.message).toContain("TRACKWAY_KAFKA_SASL_PASSWORD_FILE");
    expect(e!.message).not.toContain("wrong-pw");
  });

  it("turns an ACL refusal into KAFKA_NOT_AUTHORIZED", () => {
    expect(explainKafkaError("Not authorized to access topics: [Topic authorization failed]", sasl)).toMatchObject({ reason: "KAFKA_NOT_AUTHORIZED" });
  });

  it("finds the refusal inside kafkajs' aggregate of topic creation errors", () => {
    const nested = Object.assign(new Error("Topic creation errors"), { name: "KafkaJSAggregateError", errors: [Object.assign(new Error("Not authorized to access topics: [Topic authorization failed]"), { name: "KafkaJSProtocolError" })] });
    expect(explainKafkaError(nested)).toMatchObject({ reason: "KAFKA_NOT_AUTHORIZED" });
  });

  it("leaves outages to the caller", () => {
    expect(explainKafkaError(new Error("Connection error: connect ECONNREFUSED 127.0.0.1:9092"))).toBeUndefined();
  });
});
