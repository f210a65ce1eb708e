import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadStackConfig } from "./config.js";

describe("loadStackConfig", () => {
  it("defaults every endpoint to the local stack under the state dir, with the state dir's generated password", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tw-config-"));
    const c = loadStackConfig({ TRACKWAY_STATE_DIR: dir });
    const password = readFileSync(path.join(dir, "postgres.password"), "utf8").trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(c.endpoints).toEqual({
      kafkaBrokers: ["127.0.0.1:9092"],
      flinkRestUrl: "http://127.0.0.1:8081",
      sqlGatewayUrl: "http://127.0.0.1:8083",
      hudiBasePath: `file://${dir}/hudi`,
      databaseUrl: `postgres://postgres:${password}@127.0.0.1:5432/trackway`,
    });
    rmSync(dir, { recursive: true });
    expect(c.external).toEqual({ kafka: false, flink: false, sqlGateway: false, postgres: false });
  });

  it("moves local ports with their env vars", () => {
    const c = loadStackConfig({ TRACKWAY_KAFKA_PORT: "19092", TRACKWAY_SQL_GATEWAY_PORT: "18083", DATABASE_URL: "postgres://u:p@db:5432/x" });
    expect(c.endpoints.kafkaBrokers).toEqual(["127.0.0.1:19092"]);
    expect(c.endpoints.sqlGatewayUrl).toBe("http://127.0.0.1:18083");
  });

  it("marks a part external when its address is given, so up starts none of it", () => {
    const c = loadStackConfig({
      DATABASE_URL: "postgres://u:p@db:5432/x",
      TRACKWAY_KAFKA_BROKERS: "k1:9092, k2:9092",
      TRACKWAY_FLINK_REST_URL: "http://jm:8081/",
      TRACKWAY_SQL_GATEWAY_URL: "http://gw:8083",
      TRACKWAY_HUDI_BASE_PATH: "s3a://lake/hudi/",
    });
    expect(c.external).toEqual({ kafka: true, flink: true, sqlGateway: true, postgres: true });
    expect(c.endpoints.kafkaBrokers).toEqual(["k1:9092", "k2:9092"]);
    expect(c.endpoints.flinkRestUrl).toBe("http://jm:8081");
    expect(c.endpoints.hudiBasePath).toBe("s3a://lake/hudi");
  });

  it("rejects a bad port with CONFIG_INVALID naming the key", () => {
    expect(() => loadStackConfig({ TRACKWAY_PG_PORT: "70000" })).toThrow(expect.objectContaining({ reason: "CONFIG_INVALID" }));
    expect(() => loadStackConfig({ TRACKWAY_PG_PORT: "70000" })).toThrow(/TRACKWAY_PG_PORT/);
  });

  it("requires the gateway URL of an external Flink cluster", () => {
    expect(() => loadStackConfig({ TRACKWAY_FLINK_REST_URL: "http://jm:8081" })).toThrow(/TRACKWAY_SQL_GATEWAY_URL/);
  });
});
