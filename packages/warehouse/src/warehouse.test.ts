import { describe, expect, it } from "vitest";
import { jobStatements, loadWarehouse } from "./warehouse.js";

describe("the repository's jobs", async () => {
  const wh = await loadWarehouse();

  it("has the ODS job and the DWS metric jobs, each runnable in both modes", () => {
    for (const name of ["ods_events", "dws_event_counts_hourly", "dws_daily_active_users"]) {
      expect(wh.jobs.get(name)?.modes).toEqual(["STREAMING", "BATCH"]);
    }
  });

  it("runs the same DWS SQL in both modes; only the ODS table's streaming-read option differs", () => {
    const streaming = jobStatements(wh, "dws_event_counts_hourly", "STREAMING");
    const batch = jobStatements(wh, "dws_event_counts_hourly", "BATCH");
    expect(streaming[0]).toBe("SET 'execution.runtime-mode' = 'streaming'");
    expect(batch[0]).toBe("SET 'execution.runtime-mode' = 'batch'");
    const differing = streaming.slice(1).filter((s, i) => s !== batch[i + 1]);
    expect(differing).toHaveLength(1);
    expect(differing[0]).toContain("CREATE TABLE IF NOT EXISTS ods_events");
    expect(differing[0]).toContain("'read.streaming.enabled' = 'true'");
  });

  it("groups each DWS job by exactly its table's primary key, with mini-batch, so no SinkMaterializer doubles its writes", () => {
    for (const name of [...wh.jobs.keys()].filter((n) => n.startsWith("dws_"))) {
      const body = jobStatements(wh, name, "STREAMING").join("\n");
      const key = /PRIMARY KEY \(([^)]*)\)/.exec(wh.tables.get(name)!.body)![1]!.split(",").map((c) => c.trim());
      const group = /GROUP BY ([^;]*)$/.exec(body)![1]!.split(",").map((c) => c.trim());
      expect(group, name).toEqual(key);
      expect(body, name).toContain("SET 'table.exec.mini-batch.enabled' = 'true'");
    }
  });

  it("runs the four DWS jobs as one statement set reading one view, so Flink scans ods_events once", () => {
    const dws = [...wh.jobs.keys()].filter((n) => n.startsWith("dws_"));
    expect(wh.jobs.get("dws")?.combines).toEqual(expect.arrayContaining(dws));
    for (const mode of ["STREAMING", "BATCH"] as const) {
      const statements = jobStatements(wh, "dws", mode);
      const set = statements.at(-1)!;
      expect(set).toMatch(/^EXECUTE STATEMENT SET\nBEGIN\n/);
      for (const name of dws) expect(set).toContain(`INSERT INTO ${name}\n`);
      expect(statements.filter((s) => s.startsWith("SET 'state.backend.type'"))).toHaveLength(1);
    }
    // Each reads the view's seven columns and filter, never ods_events itself: a scan of other columns would be a
    // second Hudi source in the job, and Hudi's per-table operator uid would collide.
    for (const name of dws) {
      const insert = jobStatements(wh, name, "BATCH").at(-1)!;
      expect(insert, name).toContain("FROM dws_events");
      expect(insert, name).not.toContain("ods_events");
    }
  });

  it("keeps each DWS job's distinct-value state in RocksDB with incremental checkpoints, not in TTL-cleaned heap maps", () => {
    for (const name of [...wh.jobs.keys()].filter((n) => n.startsWith("dws"))) {
      const body = jobStatements(wh, name, "STREAMING").join("\n");
      expect(body, name).toContain("SET 'state.backend.type' = 'rocksdb'");
      expect(body, name).toContain("SET 'state.backend.incremental' = 'true'");
    }
  });

  it("runs no Hudi embedded timeline server, which would listen on every interface (issue 13, finding 6)", () => {
    for (const name of wh.jobs.keys()) {
      const hudiTables = jobStatements(wh, name, "STREAMING").filter((st) => st.includes("'connector' = 'hudi'"));
      expect(hudiTables.length, name).toBeGreaterThan(0);
      for (const ddl of hudiTables) expect(ddl, name).toContain("'hoodie.embed.timeline.server' = 'false'");
    }
  });

  it("bounds the Kafka source when the ODS job runs in BATCH mode", () => {
    expect(jobStatements(wh, "ods_events", "BATCH").join("\n")).toContain("'scan.bounded.mode' = 'latest-offset'");
    expect(jobStatements(wh, "ods_events", "STREAMING").join("\n")).toContain("'scan.bounded.mode' = 'unbounded'");
  });

  it("substitutes every parameter", () => {
    for (const name of wh.jobs.keys()) {
      for (const mode of ["STREAMING", "BATCH"] as const) expect(jobStatements(wh, name, mode).join("\n")).not.toMatch(/\$\{/);
    }
  });
});
