import { describe, expect, it } from "vitest";
import { redactSecrets } from "./redact.js";

describe("redactSecrets", () => {
  it("hides JAAS passwords and PEM private keys Flink echoes from connector options", () => {
    const text = `'properties.sasl.jaas.config'='x.ScramLoginModule required username="flink" password="s3\\"cret";'\n-----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY-----`;
    const out = redactSecrets(text);
    expect(out).toBe(`'properties.sasl.jaas.config'='x.ScramLoginModule required username="flink" password="****";'\n****`);
  });
});
