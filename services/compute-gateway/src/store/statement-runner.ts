import {
  FlinkUnreachableError,
  SqlGatewayError,
  TERMINAL_FLINK_STATES,
  type FetchResultsPage,
  type FlinkRestClient,
  type LosslessValue,
  type SqlGatewaySession,
} from "@trackway/flink";
import { classifyGatewayError } from "../core/flink-errors.js";
import type { LogicalTypeJson } from "../core/result-values.js";
import { flinkUnavailable } from "../errors.js";

/** A result column as the gateway describes it. */
export interface ResultColumn {
  name: string;
  logicalType: LogicalTypeJson;
}

/** What running a statement yields, in order: its columns once, row batches, then the end. */
export type StatementEvent =
  | { type: "columns"; columns: ResultColumn[] }
  | { type: "rows"; rows: LosslessValue[][] }
  | { type: "end"; rowCount: number; truncated: boolean; flinkJobId?: string };

/** Options of one statement run. */
export interface RunOptions {
  /** Stop after this many rows (the result is then `truncated`). */
  maxRows: number;
  /** Cancel the statement after this long. */
  timeoutMs: number;
  /** Aborting it cancels the statement (a client that went away). */
  signal?: AbortSignal;
  /** `pipeline.name` of the Flink job, so that it can be found (and cancelled) even before its id is known. */
  jobName: string;
  /** Called once the timeout passed and the statement was cancelled; its return value is thrown. */
  onTimeout: (ms: number) => Error;
  /** Flink parallelism of the statement's job (the task slots it takes). */
  parallelism?: number;
}

/** Thrown for a failure the SQL Gateway reported; `kind` says whose fault it is (see classifyGatewayError). */
export class GatewayFailure extends Error {
  constructor(
    readonly kind: "invalid" | "session-lost" | "flink",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Turns an error of a SqlGatewaySession call into a GatewayFailure (or FLINK_UNAVAILABLE when unreachable). */
export function gatewayFailure(e: unknown, baseUrl: string): Error {
  if (e instanceof GatewayFailure) return e;
  if (e instanceof SqlGatewayError) {
    const c = classifyGatewayError(e.details || e.message);
    return new GatewayFailure(c.kind, c.message, { cause: e });
  }
  if (e instanceof FlinkUnreachableError || e instanceof TypeError) return flinkUnavailable(`the SQL Gateway at ${baseUrl}`, e);
  return e as Error;
}

/**
 * Runs one statement in BATCH mode in a SQL Gateway session and yields its result as it arrives, numbers kept
 * exact. Whatever way it ends early (row limit, timeout, an aborted signal, the consumer stopping), it closes
 * the gateway operation, which cancels the Flink job, and then cancels the job through the Flink REST API if it
 * is still running (found by id, or by its unique pipeline name when the id is not known yet).
 */
export async function* runStatement(session: SqlGatewaySession, flink: FlinkRestClient, sql: string, opts: RunOptions): AsyncGenerator<StatementEvent> {
  const { baseUrl } = session.client;
  const started = Date.now();
  let operation: string | undefined;
  let flinkJobId: string | undefined;
  let done = false;
  try {
    try {
      const executionConfig: Record<string, string> = { "execution.runtime-mode": "batch", "pipeline.name": opts.jobName };
      if (opts.parallelism) executionConfig["parallelism.default"] = String(opts.parallelism);
      operation = await session.submit(sql, { executionConfig });
    } catch (e) {
      throw gatewayFailure(e, baseUrl);
    }
    let columns: ResultColumn[] | undefined;
    let count = 0;
    const pages = session.pages(operation, { lossless: true, signal: opts.signal });
    for (;;) {
      if (opts.signal?.aborted) return;
      if (Date.now() - started > opts.timeoutMs) throw opts.onTimeout(opts.timeoutMs);
      let step: IteratorResult<FetchResultsPage<LosslessValue>>;
      try {
        step = await pages.next();
      } catch (e) {
        if (opts.signal?.aborted) return;
        throw gatewayFailure(e, baseUrl);
      }
      if (step.done) break;
      const page = step.value;
      flinkJobId ??= page.jobID;
      if (!columns && page.results?.columns?.length) {
        columns = page.results.columns as unknown as ResultColumn[];
        yield { type: "columns", columns };
      }
      const rows = (page.results?.data ?? []).map((r) => r.fields);
      if (rows.length > 0) {
        const room = opts.maxRows - count;
        // One row past the limit tells a cut result from one that had exactly maxRows rows.
        if (rows.length > room) {
          if (room > 0) yield { type: "rows", rows: rows.slice(0, room) };
          count += Math.max(room, 0);
          yield { type: "end", rowCount: count, truncated: true, flinkJobId };
          return;
        }
        count += rows.length;
        yield { type: "rows", rows };
      }
    }
    if (opts.signal?.aborted) return;
    if (!columns) yield { type: "columns", columns: [] };
    done = true;
    yield { type: "end", rowCount: count, truncated: false, flinkJobId };
  } finally {
    if (operation) await release(session, flink, operation, flinkJobId, opts.jobName, done);
  }
}

/** Frees the operation; when the statement did not run to its end, makes sure its Flink job is cancelled too. */
async function release(session: SqlGatewaySession, flink: FlinkRestClient, operation: string, jobId: string | undefined, jobName: string, finished: boolean) {
  // The operation itself only submits the job (it is FINISHED once the job runs); closing it cancels the job.
  if (!finished) await session.cancel(operation).catch(() => undefined);
  await session.closeOperation(operation).catch(() => undefined);
  if (finished) return;
  try {
    const ids = jobId ? [jobId] : (await flink.jobs()).filter((j) => j.name === jobName).map((j) => j.jid);
    for (const id of ids) {
      const state = (await flink.job(id))?.state;
      if (state && !TERMINAL_FLINK_STATES.has(state)) await flink.cancel(id);
    }
  } catch {
    // Best effort: closing the operation already asked the gateway to cancel the job.
  }
}
