import { describe, expect, it } from "vitest";
import { z } from "zod";
import { bytes, configOf, count, csv, duration, flag, parseConfig, port } from "./config.js";

const Schema = z.object({
  TRACKWAY_TEST_PORT: port(50051),
  TRACKWAY_TEST_BROKERS: csv("host:port Kafka brokers").default(["127.0.0.1:9092"]),
  TRACKWAY_TEST_FLUSH: duration("10s"),
});

const messageOf = (env: Record<string, string>): string => {
  try {
    parseConfig(Schema, env);
  } catch (e) {
    expect(e).toMatchObject({ reason: "CONFIG_INVALID" });
    return (e as Error).message;
  }
  throw new Error("expected parseConfig to throw");
};

describe("parseConfig", () => {
  it("applies defaults and coerces values", () => {
    expect(parseConfig(Schema, {})).toEqual({ TRACKWAY_TEST_PORT: 50051, TRACKWAY_TEST_BROKERS: ["127.0.0.1:9092"], TRACKWAY_TEST_FLUSH: 10_000 });
    expect(parseConfig(Schema, { TRACKWAY_TEST_PORT: "6000", TRACKWAY_TEST_BROKERS: "a:1, b:2,", TRACKWAY_TEST_FLUSH: "250ms" })).toEqual({
      TRACKWAY_TEST_PORT: 6000,
      TRACKWAY_TEST_BROKERS: ["a:1", "b:2"],
      TRACKWAY_TEST_FLUSH: 250,
    });
  });

  it("names the variable, its value and what is expected", () => {
    const msg = messageOf({ TRACKWAY_TEST_PORT: "http" });
    expect(msg).toContain('TRACKWAY_TEST_PORT ("http")');
    expect(msg).toContain("expected a TCP port from 0 to 65535");
  });

  it("reports every bad variable at once", () => {
    const msg = messageOf({ TRACKWAY_TEST_PORT: "70000", TRACKWAY_TEST_FLUSH: "soon" });
    expect(msg).toContain("TRACKWAY_TEST_PORT");
    expect(msg).toContain('TRACKWAY_TEST_FLUSH ("soon"): not a duration');
  });

  it("accepts port 0 (any free port) and settings given in code, validated the same way", () => {
    expect(parseConfig(Schema, { TRACKWAY_TEST_PORT: "0" }).TRACKWAY_TEST_PORT).toBe(0);
    expect(configOf(Schema, { TRACKWAY_TEST_PORT: 0, TRACKWAY_TEST_BROKERS: ["a:1", "b:2"], TRACKWAY_TEST_FLUSH: 250 })).toEqual({
      TRACKWAY_TEST_PORT: 0,
      TRACKWAY_TEST_BROKERS: ["a:1", "b:2"],
      TRACKWAY_TEST_FLUSH: 250,
    });
    expect(() => configOf(Schema, { TRACKWAY_TEST_PORT: -1 })).toThrow(/TRACKWAY_TEST_PORT \("-1"\)/);
  });

  it("refuses an empty list", () => {
    expect(messageOf({ TRACKWAY_TEST_BROKERS: " , " })).toContain("TRACKWAY_TEST_BROKERS");
  });
});

describe("flag, count and bytes", () => {
  const S = z.object({ F: flag(false), C: count(8, "a number of batches"), B: bytes("2mb") });

  it("parse booleans, counts and sizes with their defaults", () => {
    expect(parseConfig(S, {})).toEqual({ F: false, C: 8, B: 2 * 1024 * 1024 });
    expect(parseConfig(S, { F: "1", C: "3", B: "512kb" })).toEqual({ F: true, C: 3, B: 512 * 1024 });
  });

  it("name what a bad value should have been", () => {
    try {
      parseConfig(S, { F: "yes", C: "0", B: "lots" });
      expect.unreachable();
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toContain('F ("yes")');
      expect(msg).toContain("expected true or false");
      expect(msg).toContain('C ("0")');
      expect(msg).toContain('B ("lots"): not a size');
    }
  });
});

