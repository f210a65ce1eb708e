import { readFile } from "node:fs/promises";
import { createPromiseClient, type PromiseClient } from "@trackway/runtime";
import type { Command } from "commander";
import {
  ComputeServiceClient,
  ComputeServiceService,
  CountEventsRequest,
  CountUniqueUsersRequest,
  Granularity,
  ListTablesRequest,
  QueryRequest,
  type Freshness,
  type Value,
} from "@trackway/proto/compute/v1";
import { note, withClient } from "../output.js";
import { cliEnv } from "../env.js";
import { registerAnalytics } from "./query-analytics.js";
import { channelCredentials, tlsOptions, type TlsFlags } from "./tls.js";

/** Where the compute gateway is and which key to send. */
export interface ComputeTarget extends TlsFlags {
  address: string;
  apiKey?: string;
}

/** Adds --address and --api-key to a compute command. */
export function computeOptions(c: Command): Command {
  return tlsOptions(c)
    .option("--address <host:port>", "compute gateway gRPC address (env TRACKWAY_COMPUTE_ADDRESS)", cliEnv.TRACKWAY_COMPUTE_ADDRESS)
    .option("--api-key <key>", "API key of the tenant to query as (env TRACKWAY_API_KEY)", cliEnv.TRACKWAY_API_KEY);
}

/** The compute gateway's RPCs as promises and async iterables. */
export type ComputeClient = PromiseClient<typeof ComputeServiceService, ComputeServiceClient>;

/** A compute gateway client whose calls send the API key. */
export function computeClient(t: ComputeTarget): ComputeClient {
  if (!t.apiKey) throw new Error("no API key: pass --api-key or set TRACKWAY_API_KEY (trackway keys create --tenant <t> issues one)");
  return createPromiseClient(ComputeServiceClient, t.address, { metadata: { "x-api-key": t.apiKey }, timeoutMs: 600_000, credentials: channelCredentials(t) });
}

/** Runs `fn` with a compute gateway client, closed after. */
export const withCompute = <T>(t: ComputeTarget, fn: (c: ComputeClient) => Promise<T>): Promise<T> => withClient(computeClient(t), fn);

/** Adds the compute options and --from/--to (a time range) to a command. */
export const ranged = (c: Command) =>
  computeOptions(c).option("--from <time>", "start, included (default: 24 hours before --to)").option("--to <time>", "end, excluded (default: now)");

/** A `--param name=value` as a typed Value: `name=text`, or `name:int=5`, `name:double=1.5`, `name:bool=true`, `name:timestamp=2026-11-25T10:00:00Z`, `name:decimal=1.10`, `name:date=2026-11-25`, `name:null=`. */
export function parseParam(text: string): [string, Value] {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+))?=(.*)$/s.exec(text);
  if (!m) throw new Error(`--param ${text}: expected name=value or name:type=value`);
  const [, name, type = "string", v] = m as unknown as [string, string, string | undefined, string];
  const kinds: Record<string, () => Value["kind"]> = {
    string: () => ({ $case: "stringValue", value: v }),
    int: () => ({ $case: "intValue", value: Number.parseInt(v, 10) }),
    double: () => ({ $case: "doubleValue", value: Number(v) }),
    bool: () => ({ $case: "boolValue", value: v === "true" }),
    decimal: () => ({ $case: "decimalValue", value: v }),
    timestamp: () => ({ $case: "timestampValue", value: new Date(v) }),
    date: () => ({ $case: "temporalTextValue", value: v }),
    time: () => ({ $case: "temporalTextValue", value: v }),
    null: () => ({ $case: "nullValue", value: true }),
  };
  const kind = kinds[type];
  if (!kind) throw new Error(`--param ${text}: unknown type ${type} (one of ${Object.keys(kinds).join(", ")})`);
  return [name, { kind: kind() }];
}

/** A cell for output: JSON values stay JSON, instants in ISO form, bytes as base64. */
function cell(v: Value | undefined): unknown {
  const k = v?.kind;
  if (!k || k.$case === "nullValue") return null;
  if (k.$case === "jsonValue") return JSON.parse(k.value) as unknown;
  if (k.$case === "timestampValue") return k.value.toISOString();
  if (k.$case === "bytesValue") return k.value.toString("base64");
  return k.value;
}

/** Tab-separated output of a row. */
export const tsv = (values: unknown[]) => values.map((v) => (v === null || v === undefined ? "\\N" : typeof v === "object" ? JSON.stringify(v) : String(v).replace(/[\t\n]/g, " "))).join("\t");

/** Prints rows as tab-separated lines on stdout, after a header line unless `header` is undefined. */
export function printTsv(header: string[] | undefined, rows: Iterable<unknown[]>): void {
  if (header) process.stdout.write(`${tsv(header)}\n`);
  for (const row of rows) process.stdout.write(`${tsv(row)}\n`);
}

/** Parses `1h`, `30m`, `45s`, `2d` into seconds. */
export function seconds(text: string): number {
  const m = /^(\d+)(s|m|h|d)$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a duration like 45s, 30m, 1h or 2d`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as "s" | "m" | "h" | "d"];
}

/** A date option. */
export const date = (text: string, what: string) => {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new Error(`${what}: "${text}" is not a date (use ISO 8601, e.g. 2026-11-25T00:00:00Z)`);
  return d;
};
/** The range of --from and --to. */
export const range = (o: { from?: string; to?: string }) => {
  const end = o.to ? date(o.to, "--to") : new Date();
  return { start: o.from ? date(o.from, "--from") : new Date(end.getTime() - 86_400_000), end };
};
const GRANULARITY: Record<string, Granularity> = {
  minute: Granularity.GRANULARITY_MINUTE,
  hour: Granularity.GRANULARITY_HOUR,
  day: Granularity.GRANULARITY_DAY,
  week: Granularity.GRANULARITY_WEEK,
  month: Granularity.GRANULARITY_MONTH,
};
/** A --granularity value. */
export const granularity = (g: string) => {
  const v = GRANULARITY[g.toLowerCase()];
  if (v === undefined) throw new Error(`--granularity ${g}: use minute, hour, day, week or month`);
  return v;
};
/** A comma-separated option as a list. */
export const csv = (s: string | undefined) => (s ? s.split(",").map((x) => x.trim()).filter(Boolean) : []);
type Opts = ComputeTarget & { from?: string; to?: string; granularity: string; events?: string; json?: boolean };

/** Adds `trackway query <sql>` and its structured forms: counts, users, funnel, tables. */
export function registerQuery(program: Command): void {
  // `query` and its subcommands declare the same options (--address, --api-key, --json, …). Without positional
  // options Commander gives an option written after `query counts` to `query` itself, and `counts` never sees it.
  program.enablePositionalOptions();
  const query = computeOptions(program.command("query"))
    .enablePositionalOptions()
    .description("Query the warehouse through the compute gateway (read-only Flink SQL in BATCH mode, your tenant's rows only).")
    .argument("[sql]", "one SELECT, WITH, SHOW, DESCRIBE or EXPLAIN statement; `:name` placeholders are bound from --param")
    .option("-f, --file <path>", "read the statement from a file")
    .option("-p, --param <name[:type]=value>", "a parameter value (repeatable); types: string (default), int, double, bool, decimal, timestamp, date, time, null", (v: string, all: string[]) => [...all, v], [] as string[])
    .option("--max-rows <n>", "at most this many rows (default: the server's)")
    .option("--timeout <duration>", "cancel the query after this long, e.g. 30s, 5m")
    .option("--json", "print one JSON object per row instead of tab-separated values")
    .action(async (sqlArg: string | undefined, o: ComputeTarget & { file?: string; param: string[]; maxRows?: string; timeout?: string; json?: boolean }) => {
      const sql = o.file ? await readFile(o.file, "utf8") : sqlArg;
      if (!sql) throw new Error("no statement: pass it as an argument or with --file (trackway query --help)");
      await withCompute(o, async (c) => {
        const req = QueryRequest.fromPartial({
          sql,
          parameters: Object.fromEntries(o.param.map(parseParam)),
          maxRows: o.maxRows ? Number(o.maxRows) : 0,
          timeout: o.timeout ? { seconds: seconds(o.timeout), nanos: 0 } : undefined,
        });
        let names: string[] = [];
        const abort = new AbortController();
        process.once("SIGINT", () => abort.abort());
        for await (const m of c.query(req, { signal: abort.signal, timeoutMs: 0 })) {
          const k = m.kind;
          if (k?.$case === "columns") {
            names = k.value.columns.map((col) => col.name);
            if (!o.json) process.stdout.write(`${tsv(names)}\n`);
          } else if (k?.$case === "rows") {
            for (const row of k.value.rows) {
              const values = row.values.map(cell);
              process.stdout.write(`${o.json ? JSON.stringify(Object.fromEntries(names.map((n, i) => [n, values[i]]))) : tsv(values)}\n`);
            }
          } else if (k?.$case === "summary") {
            const s = k.value;
            const ms = (s.elapsed?.seconds ?? 0) * 1000 + Math.round((s.elapsed?.nanos ?? 0) / 1e6);
            note(`${s.rowCount} row${s.rowCount === 1 ? "" : "s"}${s.truncated ? " (cut at the row limit: --max-rows)" : ""} in ${(ms / 1000).toFixed(1)}s`);
          }
        }
      });
    });

  // counts and users: a range cut into buckets, optionally only some event names.
  const bucketed = (c: Command, defaultGranularity: string, events: string) =>
    ranged(c).option("--granularity <g>", "minute, hour or day", defaultGranularity).option("--events <names>", events);
  const bucketedRequest = (o: Opts) => ({ range: range(o), granularity: granularity(o.granularity), eventNames: csv(o.events) });

  bucketed(query.command("counts"), "hour", "only these event names, comma-separated")
    .description("Events per time bucket and event name (distinct events and users).")
    .option("--json", "print JSON lines")
    .action((o: Opts) =>
      withCompute(o, async (c) => {
        const r = await c.countEvents(CountEventsRequest.fromPartial(bucketedRequest(o)));
        if (!o.json) process.stdout.write(`${tsv(["bucket_start", "event_name", "events", "users"])}\n`);
        for (const x of r.counts) {
          const row = { bucket_start: x.bucketStart?.toISOString(), event_name: x.eventName, events: x.count, users: x.uniqueUsers };
          process.stdout.write(`${o.json ? JSON.stringify(row) : tsv(Object.values(row))}\n`);
        }
        noteFreshness(r.freshness);
      }),
    );

  bucketed(query.command("users"), "day", "only users who sent one of these events, comma-separated")
    .description("Distinct users per time bucket, and over the whole range.")
    .action((o: Opts) =>
      withCompute(o, async (c) => {
        const r = await c.countUniqueUsers(CountUniqueUsersRequest.fromPartial(bucketedRequest(o)));
        printTsv(undefined, [...r.counts.map((x) => [x.bucketStart?.toISOString(), x.users]), ["total", r.total]]);
        noteFreshness(r.freshness);
      }),
    );

  registerAnalytics(query);

  computeOptions(query.command("tables"))
    .description("The tables you can query, with their columns.")
    .action((o: ComputeTarget) =>
      withCompute(o, async (c) => {
        const r = await c.listTables(ListTablesRequest.fromPartial({}));
        for (const t of r.tables) {
          process.stdout.write(`${t.name} (${t.layer}${t.eventName ? `, event ${t.eventName}` : ""})\n`);
          for (const col of t.columns) process.stdout.write(`  ${col.name}\t${col.type}${col.nullable ? "" : " NOT NULL"}\n`);
        }
      }),
    );
}

/** Prints on stderr how fresh an answer is: the warehouse time it reflects and the table it came from. */
export function noteFreshness(f: Freshness | undefined): void {
  note(`complete up to ${f?.completeUpTo?.toISOString() ?? "(no events)"} · from ${f?.source || "?"}`);
}
