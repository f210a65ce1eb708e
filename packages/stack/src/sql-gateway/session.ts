import type { SqlGatewayClient } from "./client.js";
import { call, SqlGatewayError } from "./http.js";
import type { ExecuteOptions, FetchResultsPage, OperationStatus, SqlColumn, SqlRow, StatementResult } from "./types.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One SQL Gateway session: statements run in it share its catalog, tables and config. */
export class SqlGatewaySession {
  constructor(
    readonly client: SqlGatewayClient,
    readonly handle: string,
  ) {}

  private url(path = "") {
    return `${this.client.baseUrl}/v2/sessions/${this.handle}${path}`;
  }

  /** Submits a statement and returns its operation handle without waiting for results. */
  async submit(statement: string, options: Pick<ExecuteOptions, "executionConfig" | "executionTimeoutMs"> = {}): Promise<string> {
    const body = { statement, executionConfig: options.executionConfig, executionTimeout: options.executionTimeoutMs };
    const r = await call<{ operationHandle: string }>(this.client.fetch, this.url("/statements"), { method: "POST", body });
    return r.operationHandle;
  }

  /** Runs a statement and fetches its whole result (or `maxRows` of it), then closes the operation. */
  async execute(statement: string, options: ExecuteOptions = {}): Promise<StatementResult> {
    const op = await this.submit(statement, options);
    try {
      return await this.fetchAll(op, options);
    } finally {
      await this.closeOperation(op).catch(() => {});
    }
  }

  /** Fetches an operation's result pages, following `nextResultUri` until EOS (waiting while NOT_READY). */
  async fetchAll(operation: string, options: Pick<ExecuteOptions, "maxRows" | "timeoutMs"> = {}): Promise<StatementResult> {
    const deadline = Date.now() + (options.timeoutMs ?? 300_000);
    const rows: SqlRow[] = [];
    let columns: SqlColumn[] = [];
    let jobId: string | undefined;
    let isQueryResult = false;
    let next: string | undefined = `/v2/sessions/${this.handle}/operations/${operation}/result/0?rowFormat=JSON`;
    while (next) {
      const page: FetchResultsPage = await call(this.client.fetch, `${this.client.baseUrl}${next}`);
      jobId ??= page.jobID;
      isQueryResult ||= page.isQueryResult ?? false;
      if (page.results?.columns?.length) columns = page.results.columns;
      rows.push(...(page.results?.data ?? []));
      if (options.maxRows !== undefined && rows.length >= options.maxRows) {
        return { columns, rows: rows.slice(0, options.maxRows), jobId, isQueryResult, truncated: true };
      }
      if (page.resultType === "EOS") break;
      if (Date.now() > deadline) {
        throw new SqlGatewayError(408, `fetching results of operation ${operation} timed out after ${options.timeoutMs ?? 300_000} ms`, "");
      }
      // NOT_READY (and an empty PAYLOAD of a running query) ask us to come back to the same or next token.
      if (page.resultType === "NOT_READY" || (page.results?.data ?? []).length === 0) await sleep(this.client.pollIntervalMs);
      next = page.nextResultUri ?? (page.resultType === "NOT_READY" ? next : undefined);
    }
    return { columns, rows, jobId, isQueryResult, truncated: false };
  }

  /** Sets session config with a `SET`/`RESET`/`USE`/`CREATE …` statement (`configure-session`, no result). */
  async configure(statement: string): Promise<void> {
    await call(this.client.fetch, this.url("/configure-session"), { method: "POST", body: { statement } });
  }

  /** The status of an operation. */
  async status(operation: string): Promise<OperationStatus> {
    return (await call<{ status: OperationStatus }>(this.client.fetch, this.url(`/operations/${operation}/status`))).status;
  }

  /** Cancels a running operation (a Flink job it started keeps running: cancel that through the Flink REST API). */
  async cancel(operation: string): Promise<OperationStatus> {
    return (await call<{ status: OperationStatus }>(this.client.fetch, this.url(`/operations/${operation}/cancel`), { method: "POST" })).status;
  }

  /** Closes an operation and frees its results. */
  async closeOperation(operation: string): Promise<void> {
    await call(this.client.fetch, this.url(`/operations/${operation}/close`), { method: "DELETE" });
  }

  /** Keeps the session alive past the gateway's idle timeout. */
  async heartbeat(): Promise<void> {
    await call(this.client.fetch, this.url("/heartbeat"), { method: "POST" });
  }

  /** Closes the session. */
  async close(): Promise<void> {
    await call(this.client.fetch, this.url(), { method: "DELETE" });
  }
}
