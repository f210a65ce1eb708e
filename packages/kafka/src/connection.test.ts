import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { configOf } from "@trackway/runtime";
import { describe, expect, it } from "vitest";
import { describeKafkaSecurity, kafkaConnectionOf, kafkaSecurityOf } from "./connection.js";
import { kafkajsSecurity } from "./client.js";
import { KafkaEnv } from "./settings.js";

const dir = mkdtempSync(path.join(tmpdir(), "kafka-settings-"));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
const compile = (env: Record<string, string>) => kafkaConnectionOf(configOf(KafkaEnv, env));

describe("kafkaSecurityOf", () => {
  it("is plaintext to the local broker by default", () => {
    const c = compile({});
    expect(c).toEqual({ brokers: ["127.0.0.1:9092"], security: { protocol: "PLAINTEXT", flinkShaded: true } });
    expect(kafkajsSecurity(c.security)).toEqual({});
  });

  it("reads the SASL password from a file, without its trailing newline", () => {
    const c = compile({ TRACKWAY_KAFKA_SECURITY_PROTOCOL: "SASL_PLAINTEXT", TRACKWAY_KAFKA_SASL_MECHANISM: "SCRAM-SHA-512", TRACKWAY_KAFKA_SASL_USERNAME: "ingest", TRACKWAY_KAFKA_SASL_PASSWORD_FILE: file("pw", "s3cret\n") });
    expect(c.security.sasl).toEqual({ mechanism: "SCRAM-SHA-512", username: "ingest", password: "s3cret" });
    expect(kafkajsSecurity(c.security)).toEqual({ sasl: { mechanism: "scram-sha-512", username: "ingest", password: "s3cret" } });
  });

  it("gives kafkajs the CA and client certificate with SASL_SSL", () => {
    const c = compile({
      TRACKWAY_KAFKA_SECURITY_PROTOCOL: "SASL_SSL",
      TRACKWAY_KAFKA_SASL_MECHANISM: "PLAIN",
      TRACKWAY_KAFKA_SASL_USERNAME: "u",
      TRACKWAY_KAFKA_SASL_PASSWORD: "p",
      TRACKWAY_KAFKA_SSL_CA_FILE: file("ca.pem", "CA"),
      TRACKWAY_KAFKA_SSL_CERT_FILE: file("c.pem", "CERT"),
      TRACKWAY_KAFKA_SSL_KEY_FILE: file("k.pem", "KEY"),
    });
    expect(kafkajsSecurity(c.security)).toEqual({ ssl: { ca: ["CA"], cert: "CERT", key: "KEY" }, sasl: { mechanism: "plain", username: "u", password: "p" } });
  });

  it("trusts the system's CAs with SSL and no CA file", () => {
    expect(kafkajsSecurity(compile({ TRACKWAY_KAFKA_SECURITY_PROTOCOL: "SSL" }).security)).toEqual({ ssl: true });
  });

  it.each([
    [{ TRACKWAY_KAFKA_SECURITY_PROTOCOL: "SASL_SSL", TRACKWAY_KAFKA_SASL_USERNAME: "u", TRACKWAY_KAFKA_SASL_PASSWORD: "p" }, "TRACKWAY_KAFKA_SASL_MECHANISM"],
    [{ TRACKWAY_KAFKA_SECURITY_PROTOCOL: "SASL_PLAINTEXT", TRACKWAY_KAFKA_SASL_MECHANISM: "PLAIN", TRACKWAY_KAFKA_SASL_PASSWORD: "p" }, "TRACKWAY_KAFKA_SASL_USERNAME"],
    [{ TRACKWAY_KAFKA_SECURITY_PROTOCOL: "SASL_PLAINTEXT", TRACKWAY_KAFKA_SASL_MECHANISM: "PLAIN", TRACKWAY_KAFKA_SASL_USERNAME: "u" }, "TRACKWAY_KAFKA_SASL_PASSWORD_FILE"],
    [{ TRACKWAY_KAFKA_SASL_USERNAME: "u" }, "SASL_PLAINTEXT or SASL_SSL"],
    [{ TRACKWAY_KAFKA_SECURITY_PROTOCOL: "SASL_PLAINTEXT", TRACKWAY_KAFKA_SSL_CA_FILE: "/ca" }, "SASL_"],
    [{ TRACKWAY_KAFKA_SECURITY_PROTOCOL: "SSL", TRACKWAY_KAFKA_SSL_CERT_FILE: "/c" }, "TRACKWAY_KAFKA_SSL_KEY_FILE"],
    [{ TRACKWAY_KAFKA_SECURITY_PROTOCOL: "SSL", TRACKWAY_KAFKA_SSL_CA_FILE: "/nowhere/ca.pem" }, "/nowhere/ca.pem"],
  ])("refuses settings that do not fit together (%j) naming what to set", (env, named) => {
    let err: unknown;
    try {
      compile(env as Record<string, string>);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ reason: "KAFKA_CONFIG_INVALID" });
    expect((err as Error).message).toContain(named);
  });

  it("refuses an unknown protocol with CONFIG_INVALID", () => {
    expect(() => compile({ TRACKWAY_KAFKA_SECURITY_PROTOCOL: "SASL" })).toThrow(expect.objectContaining({ reason: "CONFIG_INVALID" }));
  });

  it("describes the security for logs without the password", () => {
    const s = kafkaSecurityOf(configOf(KafkaEnv, { TRACKWAY_KAFKA_SECURITY_PROTOCOL: "SASL_PLAINTEXT", TRACKWAY_KAFKA_SASL_MECHANISM: "PLAIN", TRACKWAY_KAFKA_SASL_USERNAME: "u", TRACKWAY_KAFKA_SASL_PASSWORD: "hunter2" }));
    const d = describeKafkaSecurity(s);
    expect(d).toEqual({ protocol: "SASL_PLAINTEXT", saslMechanism: "PLAIN", saslUser: "u" });
    expect(JSON.stringify(d)).not.toContain("hunter2");
  });
});
