import { loadWarehouse } from "@trackway/warehouse";
import { describe, expect, it } from "vitest";
import { hiddenTableStatements } from "./tenant-views.js";

describe("a tenant's session", () => {
  it("declares no Kafka table, so SHOW CREATE TABLE can never show a tenant the Kafka credentials", async () => {
    const wh = await loadWarehouse(undefined, { kafkaOptions: { "properties.sasl.jaas.config": 'x required username="u" password="secret-pw";' } });
    const statements = hiddenTableStatements(wh, "hidden_db", "file:///tmp/hudi").join("\n");
    expect(statements).not.toContain("'connector' = 'kafka'");
    expect(statements).not.toContain("secret-pw");
  });
});
