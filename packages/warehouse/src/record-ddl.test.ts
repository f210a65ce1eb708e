import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { kafkaColumns, odsColumns } from "@trackway/envelope";
import { describe, expect, it } from "vitest";
import { recordBlocks, renderRecordBlocks } from "./record-ddl.js";
import { jobStatements, jobsDir, loadWarehouse } from "./warehouse.js";

const files = ["tables/kafka_events.sql", "tables/ods_events.sql", "ods_events.sql"];

describe("the warehouse DDL generated from the record contract", () => {
  it("is current in jobs/ (run `npm run generate:record` after changing RECORD_FIELDS)", async () => {
    for (const f of files) {
      const text = await readFile(join(jobsDir, f), "utf8");
      expect(recordBlocks(text).length, f).toBeGreaterThan(0);
      expect(text, f).toBe(renderRecordBlocks(text));
    }
  });

  it("gives kafka_events a column for every field ingest writes and ods_events a column filled from each", async () => {
    const sql = jobStatements(await loadWarehouse(), "ods_events", "STREAMING").join("\n");
    const kafkaDdl = sql.slice(sql.indexOf("CREATE TEMPORARY TABLE IF NOT EXISTS kafka_events"), sql.indexOf(") WITH ("));
    for (const c of kafkaColumns()) expect(kafkaDdl).toMatch(new RegExp(`\\n\\s*${c.name} ${c.type.replace(/[()<>]/g, "\\$&")},?\\n`));
    const insert = sql.slice(sql.indexOf("INSERT INTO ods_events"));
    for (const c of odsColumns()) expect(insert).toContain(c.expr);
    expect(sql).toContain("PRIMARY KEY (tenant, event_id) NOT ENFORCED");
  });

  it("filters no acknowledged event out of ods_events: only rows without a key", async () => {
    const insert = (await loadWarehouse()).jobs.get("ods_events")!.body;
    expect(insert).toMatch(/WHERE event_id IS NOT NULL AND tenant IS NOT NULL;/);
    expect(insert).not.toMatch(/event_time IS NOT NULL/);
  });
});
