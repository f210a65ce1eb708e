/** A column of a result, as the SQL Gateway describes it. */
export interface SqlColumn {
  name: string;
  logicalType: { type: string; nullable: boolean; [k: string]: unknown };
  comment: string | null;
}

/** One row: its change kind (INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE) and its fields in JSON form. */
export interface SqlRow<F = unknown> {
  kind: "INSERT" | "UPDATE_BEFORE" | "UPDATE_AFTER" | "DELETE";
  fields: F[];
}

/** One page of results (`GET …/result/{token}?rowFormat=JSON`). */
export interface FetchResultsPage<F = unknown> {
  resultType: "NOT_READY" | "PAYLOAD" | "EOS";
  isQueryResult?: boolean;
  resultKind?: "SUCCESS" | "SUCCESS_WITH_CONTENT";
  jobID?: string;
  results?: { columns?: SqlColumn[]; rowFormat?: string; data?: SqlRow<F>[] };
  nextResultUri?: string;
}

/** The whole result of a statement. */
export interface StatementResult {
  columns: SqlColumn[];
  rows: SqlRow[];
  /** The Flink job the statement started (INSERT, or a query run as a job), if any. */
  jobId?: string;
  isQueryResult: boolean;
  /** True when fetching stopped at `maxRows` before the end of the result. */
  truncated: boolean;
}

/** Options of one statement. */
export interface ExecuteOptions {
  /** Config for this statement only, e.g. `{ "execution.runtime-mode": "batch" }`. */
  executionConfig?: Record<string, string>;
  /** Server-side execution timeout in ms. */
  executionTimeoutMs?: number;
  /** Stop fetching after this many rows (needed for unbounded streaming queries). */
  maxRows?: number;
  /** Give up fetching after this long, in ms. @default 300000 */
  timeoutMs?: number;
}

/** The operation states the gateway reports. */
export type OperationStatus = "INITIALIZED" | "PENDING" | "RUNNING" | "FINISHED" | "CANCELED" | "CLOSED" | "ERROR" | "TIMEOUT";

/** Options of reading an operation's result pages. */
export interface ResultPagesOptions {
  /** Stops waiting and fetching when aborted (the generator then ends). */
  signal?: AbortSignal;
  /** Keep every number of the cells as its text (JsonNumber), so DECIMAL and BIGINT lose no digits. */
  lossless?: boolean;
}
