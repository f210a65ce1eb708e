import { describe, expect, it } from "vitest";
import { loadStackConfig } from "./config.js";
import { kafkaListener, kafkaSecurityProperties, scramFormatArgs, stackKafkaSecurity } from "./kafka-sasl.js";
import { stackServiceEnvironment } from "./services.js";

describe("the local broker's SASL listener", () => {
  it("stays PLAINTEXT with nothing extra unless SCRAM users are asked for", () => {
    const c = loadStackConfig({ DATABASE_URL: "postgres://u:p@db/x" });
    expect(c.kafkaSasl).toBeUndefined();
    expect(kafkaListener(c.kafkaSasl)).toBe("PLAINTEXT");
    expect(kafkaSecurityProperties(c.kafkaSasl)).toBe("");
    expect(scramFormatArgs(c.kafkaSasl)).toEqual([]);
    expect(stackKafkaSecurity(c.kafkaSasl).protocol).toBe("PLAINTEXT");
    expect(Object.keys(stackServiceEnvironment(c)).filter((k) => k.startsWith("TRACKWAY_KAFKA_"))).toEqual(["TRACKWAY_KAFKA_BROKERS"]);
  });

  it("creates every user for both SCRAM mechanisms and makes the first the broker's own and super user", () => {
    const c = loadStackConfig({ DATABASE_URL: "postgres://u:p@db/x", TRACKWAY_STACK_KAFKA_SCRAM_USERS: "admin:a1,ingest:i1", TRACKWAY_STACK_KAFKA_ACLS: "true" });
    expect(kafkaListener(c.kafkaSasl)).toBe("SASL_PLAINTEXT");
    expect(scramFormatArgs(c.kafkaSasl)).toEqual([
      "--add-scram", "SCRAM-SHA-256=[name=admin,password=a1]", "--add-scram", "SCRAM-SHA-512=[name=admin,password=a1]",
      "--add-scram", "SCRAM-SHA-256=[name=ingest,password=i1]", "--add-scram", "SCRAM-SHA-512=[name=ingest,password=i1]",
    ]);
    const props = kafkaSecurityProperties(c.kafkaSasl);
    expect(props).toContain('listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="a1";');
    expect(props).toContain("super.users=User:admin;User:ANONYMOUS");
    expect(stackKafkaSecurity(c.kafkaSasl)).toMatchObject({ protocol: "SASL_PLAINTEXT", sasl: { username: "admin", password: "a1" } });
    // What `stack up` gives its services and `trackway stack env` prints.
    expect(stackServiceEnvironment(c)).toMatchObject({ TRACKWAY_KAFKA_SECURITY_PROTOCOL: "SASL_PLAINTEXT", TRACKWAY_KAFKA_SASL_MECHANISM: "SCRAM-SHA-256", TRACKWAY_KAFKA_SASL_USERNAME: "admin" });
  });

  it("refuses user lists whose characters would break the broker's config", () => {
    expect(() => loadStackConfig({ TRACKWAY_STACK_KAFKA_SCRAM_USERS: 'admin:pw",x' })).toThrow(expect.objectContaining({ reason: "CONFIG_INVALID" }));
  });
});
