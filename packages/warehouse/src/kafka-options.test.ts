import { describe, expect, it } from "vitest";
import { withKafkaOptions } from "./kafka-options.js";
import { jobParameters, jobStatements, loadWarehouse } from "./warehouse.js";

const options = { "properties.security.protocol": "SASL_PLAINTEXT", "properties.sasl.jaas.config": `x required username="u" password="it's $& $1";` };

describe("Kafka options of the warehouse's tables", async () => {
  const wh = await loadWarehouse(undefined, { kafkaOptions: options });

  it("go into every Kafka table's WITH clause, quoted, and into no other table", () => {
    const statements = jobStatements(wh, "ods_events", "STREAMING");
    const kafka = statements.filter((s) => s.includes("'connector' = 'kafka'"));
    expect(kafka.length).toBeGreaterThan(0);
    for (const ddl of kafka) {
      expect(ddl).toContain("'connector' = 'kafka',\n  'properties.security.protocol' = 'SASL_PLAINTEXT',");
      expect(ddl).toContain(`'properties.sasl.jaas.config' = 'x required username="u" password="it''s $& $1";'`);
    }
    for (const ddl of statements.filter((s) => !s.includes("'connector' = 'kafka'"))) expect(ddl).not.toContain("sasl");
  });

  it("are not job parameters, so a job's stored and listed parameters never hold the password", () => {
    expect(JSON.stringify(jobParameters(wh, "ods_events", "STREAMING"))).not.toContain("password");
  });

  it("leave the DDL unchanged for a plaintext cluster", () => {
    const ddl = "CREATE TABLE t (a INT) WITH (\n  'connector' = 'kafka',\n  'topic' = 't'\n)";
    expect(withKafkaOptions(ddl, {})).toBe(ddl);
  });
});
