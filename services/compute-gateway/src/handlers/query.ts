import { randomUUID } from "node:crypto";
import { Metadata, type ServerWritableStream } from "@grpc/grpc-js";
import type { QueryRequest, QueryResponse } from "@trackway/proto/compute/v1";
import type { Duration } from "@trackway/proto/google/protobuf/duration";
import type { Logger } from "@trackway/runtime";
import type { LosslessValue } from "@trackway/flink";
import { toColumn, toValue, type LogicalTypeJson } from "../core/result-values.js";
import { bindParameters } from "../core/sql-params.js";
import type { SqlGuard } from "../core/sql-guard.js";
import type { ComputeMetrics } from "../metrics.js";
import type { Authenticate } from "./auth.js";
import { toTrackwayError } from "./errors-map.js";
import { tenantStatement, type QueryDeps } from "./query-runner.js";

/** Limits the server applies to Query. */
export interface QueryLimitsConfig {
  defaultMaxRows: number;
  maxRows: number;
  defaultTimeoutMs: number;
  maxTimeoutMs: number;
}

/** Rows per streamed message: small enough for the default 4 MiB message limit with wide rows. */
const BATCH_ROWS = 500;

/** Milliseconds of a protobuf Duration. */
export const durationMs = (d: Duration | undefined): number => (d ? d.seconds * 1000 + Math.floor(d.nanos / 1e6) : 0);
const toDuration = (ms: number): Duration => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

/**
 * The Query RPC: binds `:name` parameters as literals, checks the statement is one read-only statement over the
 * tenant's views (by parsing), runs it in BATCH mode in the tenant's session and streams columns, row batches
 * and a summary. The query id goes out as the `trackway-query-id` header; the Flink job is named after it.
 */
export function queryHandler(deps: QueryDeps & { auth: Authenticate; guard: SqlGuard; limits: QueryLimitsConfig; logger: Logger; metrics: ComputeMetrics }) {
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
    try {
      const sql = bindParameters(req.sql, req.parameters);
      const prepare = (s: { tables(): { name: string }[]; hiddenDb: string }) => {
        deps.guard.check(sql, { tables: new Set(s.tables().map((t) => t.name)), forbiddenNames: [s.hiddenDb] });
        return sql;
      };
      for await (const e of tenantStatement(deps, tenant, prepare, { maxRows, timeoutMs, signal }, queryId)) {
        if (e.type === "columns") {
          types = e.columns.map((c) => c.logicalType);
          yield { kind: { $case: "columns", value: { columns: e.columns.map((c) => toColumn(c.name, c.logicalType)) } } };
        } else if (e.type === "rows") {
          for (let i = 0; i < e.rows.length; i += BATCH_ROWS) {
            const rows = e.rows.slice(i, i + BATCH_ROWS).map((r: LosslessValue[]) => ({ values: r.map((cell, j) => toValue(cell, types[j] ?? { type: "RAW" })) }));
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
        const mapped = toTrackwayError(e);
        outcome = (mapped as { reason?: string }).reason ?? "INTERNAL";
        throw mapped;
      }
    } finally {
      deps.metrics.record("sql", outcome, started, rowCount);
      deps.logger.info("query", { tenant, queryId, outcome, rows: rowCount, ms: Date.now() - started });
    }
  };
}
