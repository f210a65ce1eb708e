import { status } from "@grpc/grpc-js";
import { plainValue } from "@trackway/compute-gateway";
import { Granularity } from "@trackway/proto/compute/v1";
import type { RunningService } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeClient, computeWorld, failure, produce, runOdsBatch, type ComputeClient, type ComputeWorld } from "./harness.js";
import { bulkEvents, referenceCounts, referenceFunnel, SEED_RANGE, seedEvents } from "./seed.js";

let world: ComputeWorld;
let gateway: RunningService;
let a: ComputeClient;
let b: ComputeClient;
let tenantA: string;
let tenantB: string;
const seed: ReturnType<typeof seedEvents> = [];

const rowsOf = (r: { rows: { values: unknown[] }[] }) => r.rows.map((row) => row.values.map((v) => plainValue(v as never)));

beforeAll(async () => {
  world = await computeWorld();
  tenantA = `acme-${world.run}`;
  tenantB = `globex-${world.run}`;
  seed.push(...seedEvents(tenantA, tenantB));
  const topic = `trackway.compute-it.${world.run}`;
  await produce(world.endpoints.kafkaBrokers, topic, [...seed, ...bulkEvents(`bulk-${world.run}`)]);
  // The rows under test are the ones the real ODS job wrote from the topic.
  await runOdsBatch(world, topic);
  gateway = await world.startGateway();
  a = await world.client(gateway.address, tenantA);
  b = await world.client(gateway.address, tenantB);
});

afterAll(() => world?.stop());

describe("Query", () => {
  it("returns the rows the ODS job wrote, typed, as columns then rows then a summary", async () => {
    const r = await a.query({
      sql: "SELECT event_id, tenant, event_name, schema_id, schema_version, event_time, received_at, user_key, attributes, properties, warnings, event_date FROM ods_events ORDER BY event_id",
    });
    expect(r.kinds[0]).toBe("columns");
    expect(r.kinds.at(-1)).toBe("summary");
    expect(r.columns.map((c) => [c.name, c.type])).toEqual([
      ["event_id", "STRING NOT NULL"],
      ["tenant", "STRING NOT NULL"], // part of the record key (tenant, event_id)
      ["event_name", "STRING"],
      ["schema_id", "BIGINT"],
      ["schema_version", "INT"],
      ["event_time", "TIMESTAMP(3)"],
      ["received_at", "TIMESTAMP(3)"],
      ["user_key", "STRING"],
      ["attributes", "MAP<STRING, STRING>"],
      ["properties", "STRING"],
      ["warnings", "ARRAY<STRING>"],
      ["event_date", "STRING"],
    ]);
    const mine = seed.filter((e) => e.tenant === tenantA).sort((x, y) => x.event_id.localeCompare(y.event_id));
    expect(r.summary).toMatchObject({ rowCount: mine.length, truncated: false });
    const rows = rowsOf(r);
    expect(rows.map((row) => row[0])).toEqual(mine.map((e) => e.event_id));
    const first = rows[mine.findIndex((e) => e.event_id === `${tenantA}-1`)]!;
    expect(first[3]).toBe(7);
    expect(first[4]).toBe(1);
    expect(first[5]).toEqual(new Date(mine.find((e) => e.event_id === `${tenantA}-1`)!.at));
    expect((first[6] as Date).getTime() - (first[5] as Date).getTime()).toBe(100);
    expect(first[7]).toBe("u1");
    expect(first[8]).toEqual({ plan: "pro" });
    expect(JSON.parse(first[9] as string)).toEqual({ path: "/home", ms: 1200 });
    expect(first[11]).toBe("2026-11-20");
    expect(rows.find((row) => row[2] === "warned")?.[10]).toEqual(["SCHEMA_VERSION_DEPRECATED"]);
  });

  it("binds :name parameters as literals, so a quote in a value stays data", async () => {
    const sql = "SELECT COUNT(*) AS n FROM ods_events WHERE event_name = :name AND event_time >= :from";
    const ok = await a.query({ sql, parameters: { name: { kind: { $case: "stringValue", value: "view" } }, from: { kind: { $case: "timestampValue", value: SEED_RANGE.start } } } });
    expect(rowsOf(ok)).toEqual([[seed.filter((e) => e.tenant === tenantA && e.event_name === "view").length]]);
    const injected = await a.query({ sql, parameters: { name: { kind: { $case: "stringValue", value: "x' OR '1'='1" } }, from: { kind: { $case: "timestampValue", value: SEED_RANGE.start } } } });
    expect(rowsOf(injected)).toEqual([[0]]);
    const sku = await a.query({ sql: "SELECT event_id FROM ods_events WHERE JSON_VALUE(properties, '$.sku') = :sku", parameters: { sku: { kind: { $case: "stringValue", value: "it's-1" } } } });
    expect(rowsOf(sku)).toEqual([[`${tenantA}-2`]]);
  });

  it("cuts the result at max_rows and says so", async () => {
    const r = await a.query({ sql: "SELECT event_id FROM ods_events", maxRows: 3 });
    expect(r.rows).toHaveLength(3);
    expect(r.summary).toMatchObject({ rowCount: 3, truncated: true });
  });

  it.each([
    "INSERT INTO ods_events SELECT * FROM ods_events",
    "CREATE TABLE x (a INT) WITH ('connector' = 'datagen')",
    "DROP TEMPORARY VIEW ods_events",
    "ALTER TABLE ods_events RENAME TO y",
    "SET 'table.dynamic-table-options.enabled' = 'true'",
    "RESET",
    "ADD JAR '/tmp/x.jar'",
    "EXECUTE STATEMENT SET BEGIN INSERT INTO ods_events SELECT * FROM ods_events; END",
    "USE default_database",
    "LOAD MODULE core",
    "STOP JOB '00000000000000000000000000000000'",
    "TRUNCATE TABLE ods_events",
    "DELETE FROM ods_events",
    "SELECT 1; DROP TABLE ods_events",
  ])("refuses %s with INVALID_ARGUMENT and STATEMENT_NOT_READ_ONLY", async (sql) => {
    expect(await failure(a.query({ sql }))).toMatchObject({ code: status.INVALID_ARGUMENT, reason: "STATEMENT_NOT_READ_ONLY" });
  });

  it("surfaces Flink's root cause, not a stack trace", async () => {
    const f = await failure(a.query({ sql: "SELECT no_such_column FROM ods_events" }));
    expect(f).toMatchObject({ code: status.INVALID_ARGUMENT, reason: "QUERY_INVALID" });
    expect(f.details).toContain("no_such_column");
    expect(f.details).not.toMatch(/\n\s+at /);
  });

  it("refuses calls without a valid API key", async () => {
    const anonymous = computeClient(gateway.address, "");
    expect(await failure(anonymous.query({ sql: "SELECT 1" }))).toMatchObject({ code: status.UNAUTHENTICATED, reason: "API_KEY_MISSING" });
    const forged = computeClient(gateway.address, `twk_${"A".repeat(43)}`);
    expect(await failure(forged.query({ sql: "SELECT 1" }))).toMatchObject({ code: status.UNAUTHENTICATED, reason: "API_KEY_INVALID" });
    anonymous.close();
    forged.close();
  });
});

describe("tenant isolation", () => {
  it("shows a tenant only its own events, whatever the query asks for", async () => {
    const mineB = seed.filter((e) => e.tenant === tenantB).length;
    expect(rowsOf(await b.query({ sql: "SELECT COUNT(*) FROM ods_events" }))).toEqual([[mineB]]);
    expect(rowsOf(await b.query({ sql: "SELECT DISTINCT tenant FROM ods_events" }))).toEqual([[tenantB]]);
    const other = await b.query({ sql: "SELECT COUNT(*) FROM ods_events WHERE tenant = :t", parameters: { t: { kind: { $case: "stringValue", value: tenantA } } } });
    expect(rowsOf(other)).toEqual([[0]]);
    const counts = await b.countEvents({ range: SEED_RANGE, granularity: Granularity.GRANULARITY_DAY, eventNames: [] });
    expect(counts.counts.reduce((n, c) => n + c.count, 0)).toBe(mineB);
  });

  it("refuses every way to name the real tables", async () => {
    for (const sql of [
      "SELECT * FROM default_catalog.default_database.ods_events",
      "SELECT * FROM kafka_events",
      "SHOW TABLES FROM default_database",
      "SELECT * FROM ods_events /*+ OPTIONS('read.streaming.enabled' = 'true') */",
      "SHOW DATABASES",
      "SHOW CREATE VIEW ods_events",
    ]) {
      const f = await failure(b.query({ sql }));
      expect(f.code, sql).toBe(status.INVALID_ARGUMENT);
      expect(["TABLE_NOT_ALLOWED", "STATEMENT_NOT_ALLOWED"], sql).toContain(f.reason);
    }
    expect(rowsOf(await b.query({ sql: "SHOW TABLES" })).flat()).toEqual(["ods_events"]);
  });
});

describe("structured queries", () => {
  const mine = () => seed.filter((e) => e.tenant === tenantA);

  it("counts events per hour and name as computed independently", async () => {
    const r = await a.countEvents({ range: SEED_RANGE, granularity: Granularity.GRANULARITY_HOUR, eventNames: [] });
    const expected = referenceCounts(mine(), 3_600_000);
    expect(r.counts.map((c) => `${c.bucketStart!.toISOString()}|${c.eventName}=${c.count}/${c.uniqueUsers}`).sort()).toEqual(
      [...expected].map(([k, v]) => `${k}=${v.count}/${v.users.size}`).sort(),
    );
  });

  it("counts per minute for the named events only", async () => {
    const r = await a.countEvents({ range: SEED_RANGE, granularity: Granularity.GRANULARITY_MINUTE, eventNames: ["buy"] });
    const expected = referenceCounts(mine().filter((e) => e.event_name === "buy"), 60_000);
    expect(r.counts).toHaveLength(expected.size);
    expect(r.counts.every((c) => c.eventName === "buy")).toBe(true);
  });

  it("counts unique users per day and over the range", async () => {
    const r = await a.countUniqueUsers({ range: SEED_RANGE, granularity: Granularity.GRANULARITY_DAY, eventNames: [] });
    const day = (d: number) => new Set(mine().filter((e) => Math.floor(e.at / 86_400_000) === d).map((e) => e.user)).size;
    const firstDay = Math.floor(SEED_RANGE.start.getTime() / 86_400_000);
    expect(r.counts.map((c) => [c.bucketStart!.toISOString().slice(0, 10), c.users])).toEqual([
      ["2026-11-20", day(firstDay)],
      ["2026-11-21", day(firstDay + 1)],
    ]);
    expect(r.total).toBe(new Set(mine().map((e) => e.user)).size);
  });

  it("computes an ordered funnel within the window as computed independently", async () => {
    const steps = ["view", "add", "buy"];
    const range = { start: SEED_RANGE.start, end: new Date(SEED_RANGE.start.getTime() + 86_400_000) };
    const r = await a.funnel({ range, steps, window: { seconds: 3600, nanos: 0 } });
    const expected = referenceFunnel(mine(), steps, range, 3_600_000);
    expect(expected).toEqual([5, 3, 2]);
    expect(r.steps.map((s) => [s.eventName, s.users])).toEqual(steps.map((s, i) => [s, expected[i]]));
    expect(r.steps[2]!.conversion).toBeCloseTo(2 / 5);
  });

  it("refuses a funnel of one step with ARGUMENT_INVALID", async () => {
    expect(await failure(a.funnel({ range: SEED_RANGE, steps: ["view"], window: { seconds: 60, nanos: 0 } }))).toMatchObject({ code: status.INVALID_ARGUMENT, reason: "ARGUMENT_INVALID" });
  });
});

describe("ListTables", () => {
  it("lists the tables the tenant can read, with Flink's column types", async () => {
    const r = await a.listTables({});
    const ods = r.tables.find((t) => t.name === "ods_events");
    expect(ods?.layer).toBe("ods");
    expect(ods?.columns.slice(0, 3)).toEqual([
      { name: "event_id", type: "STRING", nullable: false },
      { name: "tenant", type: "STRING", nullable: false },
      { name: "event_name", type: "STRING", nullable: true },
    ]);
    expect(ods?.columns.find((c) => c.name === "attributes")?.type).toBe("MAP<STRING, STRING>");
  });
});
