import { randomUUID } from "node:crypto";
import { Metadata, type ServerWritableStream } from "@grpc/grpc-js";
import type { QueryRequest, QueryResponse } from "@trackway/proto/compute/v1";
import type { Duration } from "@trackway/proto/google/protobuf/duration";
import type { LosslessValue } from "@trackway/flink";
import { isTrackwayError, TrackwayError, type Logger } from "@trackway/runtime";
import { lexFlinkSql, type ComplexityLimits } from "../core/flink-lexer.js";
import { redact } from "../core/plan-check.js";
import { toColumn, toValue, type LogicalTypeJson } from "../core/result-values.js";
import { bindParameters } from "../core/sql-params.js";
import { statementTooLarge, tenantQueryLimit } from "../errors.js";
import type { GuardPool } from "../store/guard-pool.js";
import type { TenantSession } from "../store/tenant-sessions.js";
import type { ComputeMetrics } from "../metrics.js";
import type { Authenticate } from "./auth.js";
import { toTrackwayError } from "./errors-map.js";
import { planChecked } from "./plan-checked.js";
import { tenantStatement, type QueryDeps } from "./query-runner.js";

/** Limits the server applies to Query. */
export interface QueryLimitsConfig {
  defaultMaxRows: number;
  maxRows: number;
  defaultTimeoutMs: number;
  maxTimeoutMs: number;
  /** Largest statement, in bytes after binding. */
  maxStatementBytes: number;
  complexity: ComplexityLimits;
}

/** Rows per streamed message: small enough for the default 4 MiB message limit with wide rows. */
const BATCH_ROWS = 500;

/** Milliseconds of a protobuf Duration. */
export const durationMs = (d: Duration | undefined): number => (d ? d.seconds * 1000 + Math.floor(d.nanos / 1e6) : 0);
const toDuration = (ms: number): Duration => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

/** Cells and errors a tenant sees never name the session's hidden database. */
const redactCell = (v: LosslessValue, hidden: string[]): LosslessValue => (typeof v === "string" ? redact(v, hidden) : v);
const redactError = (e: unknown, hidden: string[]): unknown =>
  isTrackwayError(e) && hidden.some((h) => e.message.includes(h)) ? new TrackwayError(e.code, e.reason, redact(e.message, hidden), { cause: e }) : e;

/**
 * The Query RPC: caps the statement's size, binds `:name` parameters as literals, lexes it as Flink does (refusing
 * what another parser could read differently, and statements beyond the complexity limits), checks it is one
 * read-only statement over the tenant's views (a grammar parse in a worker, time-bounded), then has Flink explain
 * it and verifies that plan (every scan under the tenant's filter) before running exactly that text in BATCH mode
 * in the tenant's session. Streams columns, row batches and a summary; the query id goes out as the
 * `trackway-query-id` header and names the Flink job. Output and errors never name the hidden database.
 */
export function queryHandler(deps: QueryDeps & { auth: Authenticate; guard: GuardPool; limits: QueryLimitsConfig; logger: Logger; metrics: ComputeMetrics }) {
  return async function* (req: QueryRequest, call: ServerWritableStream<QueryRequest, QueryResponse>, signal: AbortSignal): AsyncGenerator<QueryResponse> {
    const started = Date.now();
    const tenant = await deps.auth(call);
    const queryId = randomUUID();
    const md = new Metadata();
    md.set("trackway-query-id", queryId);
    call.sendMetadata(md);
    const { limits } = deps;
    const maxRows = Math.min(req.maxRows || limits.defaultMaxRows, limits.maxRows);
    const timeoutMs = Math.min(durationMs(req.timeout) || limits.defaultTimeoutMs, limits.maxTimeoutMs);
    let types: LogicalTypeJson[] = [];
    let outcome = "error";
    let rowCount = 0;
    const hidden: string[] = [];
    try {
      // Refused before any work when the tenant runs its maximum and its queue is full: a flood of statements costs nothing.
      const cap = deps.limiter?.capOf(tenant) ?? Infinity;
      const queueRoom = deps.queue?.maxWaitMs ? deps.queue.maxWaiting : 0;
      if (deps.limiter && deps.limiter.runningOf(tenant) >= cap && deps.limiter.waitingOf(tenant) >= queueRoom) {
        throw tenantQueryLimit(cap, cap < deps.limiter.maxPerTenant);
      }
      const given = Buffer.byteLength(req.sql);
      if (given > limits.maxStatementBytes) throw statementTooLarge(given, limits.maxStatementBytes);
      const sql = bindParameters(req.sql, req.parameters);
      const bound = Buffer.byteLength(sql);
      if (bound > limits.maxStatementBytes) throw statementTooLarge(bound, limits.maxStatementBytes);
      lexFlinkSql(sql, limits.complexity);
      const prepare = async (s: TenantSession) => {
        hidden.push(s.hiddenDb);
        const checked = await deps.guard.check(tenant, sql, { tables: new Set(s.tables().map((t) => t.name)), forbiddenNames: [s.hiddenDb] });
        return planChecked(s, sql, checked.kind, timeoutMs);
      };
      for await (const e of tenantStatement(deps, tenant, prepare, { maxRows, timeoutMs, signal }, queryId)) {
        if (e.type === "columns") {
          types = e.columns.map((c) => c.logicalType);
          yield { kind: { $case: "columns", value: { columns: e.columns.map((c) => toColumn(c.name, c.logicalType)) } } };
        } else if (e.type === "rows") {
          for (let i = 0; i < e.rows.length; i += BATCH_ROWS) {
            const rows = e.rows.slice(i, i + BATCH_ROWS).map((r: LosslessValue[]) => ({ values: r.map((cell, j) => toValue(redactCell(cell, hidden), types[j] ?? { type: "RAW" })) }));
            yield { kind: { $case: "rows", value: { rows } } };
          }
        } else {
          outcome = e.truncated ? "truncated" : "ok";
          rowCount = e.rowCount;
          yield { kind: { $case: "summary", value: { rowCount: e.rowCount, truncated: e.truncated, elapsed: toDuration(Date.now() - started) } } };
        }
      }
      if (signal.aborted) outcome = "cancelled";
    } catch (e) {
      if (signal.aborted) outcome = "cancelled";
      else {
        const mapped = redactError(toTrackwayError(e), hidden);
        outcome = (mapped as { reason?: string }).reason ?? "INTERNAL";
        throw mapped;
      }
    } finally {
      deps.metrics.record("sql", outcome, started, rowCount);
      deps.logger.info("query", { tenant, queryId, outcome, rows: rowCount, ms: Date.now() - started });
    }
  };
}
