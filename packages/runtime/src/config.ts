import { status } from "@grpc/grpc-js";
import { z } from "zod";
import { TrackwayError } from "./errors.js";

type Env = Record<string, string | undefined>;

/**
 * Parses environment variables with a zod object schema. On failure it throws one TrackwayError
 * (reason CONFIG_INVALID) whose message names every bad variable, its value, the problem and what is expected
 * (the field's `.describe()` text).
 */
export function parseConfig<S extends z.ZodObject>(schema: S, env: Env = process.env): z.output<S> {
  const r = schema.safeParse(env);
  if (r.success) return r.data;
  const lines = r.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? "");
    const field = schema.shape[key] as z.ZodType | undefined;
    const value = env[key];
    const shown = value === undefined ? "unset" : `"${value}"`;
    const expected = field?.description ? `; expected ${field.description}` : "";
    return `  ${key} (${shown}): ${issue.message}${expected}`;
  });
  throw new TrackwayError(status.FAILED_PRECONDITION, "CONFIG_INVALID", `invalid configuration:\n${lines.join("\n")}`);
}

/** A setting given in code (a test, a benchmark, a CLI command) rather than as an environment string. */
export type Setting = string | number | boolean | readonly string[] | undefined;

/**
 * Validates settings given in code with the same schema as the environment, so that a service only ever sees a
 * parsed config: numbers and booleans are written as text, lists joined with commas, then `parseConfig` runs.
 */
export function configOf<S extends z.ZodObject>(schema: S, settings: Record<string, Setting>): z.output<S> {
  const env: Env = {};
  for (const [k, v] of Object.entries(settings)) {
    if (v !== undefined) env[k] = Array.isArray(v) ? v.join(",") : String(v);
  }
  return parseConfig(schema, env);
}

/** A TCP port from the environment, 0–65535; 0 lets the system pick a free one (tests, several services on one host). */
export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback).describe(`a TCP port from 0 to 65535, 0 for any free one (default ${fallback})`);

/** A log level from the environment. */
export const logLevel = () =>
  z.enum(["trace", "debug", "info", "warn", "error", "silent"]).default("info").describe("one of trace, debug, info, warn, error, silent");

/** A comma-separated list from the environment, trimmed, empty entries dropped. */
export const csv = (what: string) =>
  z
    .string()
    .transform((s) => s.split(",").map((x) => x.trim()).filter((x) => x.length > 0))
    .pipe(z.array(z.string()).min(1))
    .describe(`a comma-separated list of ${what}`);

/** A duration in milliseconds from the environment, given as `500ms`, `10s`, `5m` or a plain number of ms. */
export const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s, ctx) => {
      const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s.trim());
      if (!m) {
        ctx.addIssue({ code: "custom", message: "not a duration" });
        return z.NEVER;
      }
      const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "ms") as "ms" | "s" | "m" | "h"];
      return Math.round(Number(m[1]) * unit);
    })
    .describe(`a duration such as 500ms, 10s or 5m (default ${fallback})`);

/** A boolean from the environment: `true`, `false`, `1` or `0`. */
export const flag = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0"])
    .default(fallback ? "true" : "false")
    .transform((v) => v === "true" || v === "1")
    .describe(`true or false (default ${fallback})`);

/** A whole number of at least 1 from the environment (a count, a size in bytes); `what` says what it counts. */
export const count = (fallback: number, what: string) => z.coerce.number().int().min(1).default(fallback).describe(`${what} (default ${fallback})`);

/** A size in bytes from the environment: `512kb`, `2mb`, or a plain number of bytes. */
export const bytes = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s, ctx) => {
      const m = /^(\d+)\s*(b|kb|mb)?$/i.exec(s.trim());
      if (!m) {
        ctx.addIssue({ code: "custom", message: "not a size" });
        return z.NEVER;
      }
      return Number(m[1]) * { b: 1, kb: 1024, mb: 1024 * 1024 }[(m[2] ?? "b").toLowerCase() as "b" | "kb" | "mb"];
    })
    .describe(`a size such as 512kb or 2mb (default ${fallback})`);
