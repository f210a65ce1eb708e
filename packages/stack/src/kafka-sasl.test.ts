import { describe, expect, it } from "vitest";
import { loadStackConfig } from "./config.js";
import { kafkaListener, kafkaSecurityProperties, scramFormatArgs, stackKafkaSecurity } from "./kafka-sasl.js";

describe("the local broker's SASL listener", () => {
  it("stays PLAINTEXT with nothing extra unless SCRAM users are asked for", () => {
    const c = loadStackConfig({ DATABASE_URL: "postgres://u:p@db/x" });
    expect(c.kafkaSasl).toBeUndefined();
    expect(kafkaListener(c.kafkaSasl)).toBe("PLAINTEXT");
    expect(kafkaSecurityProperties(c.kafkaSasl)).toBe("");
    expect(scramFormatArgs(c.kafkaSasl)).toEqual([]);
    expect(stackKafkaSecurity(c.kafkaSasl).protocol).toBe("PLAINTEXT");
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
  });

  it("refuses user lists whose characters would break the broker's config", () => {
    expect(() => loadStackConfig({ TRACKWAY_STACK_KAFKA_SCRAM_USERS: 'admin:pw",x' })).toThrow(expect.objectContaining({ reason: "CONFIG_INVALID" }));
  });
});
