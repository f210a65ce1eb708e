import { SqlGatewayError } from "../errors.js";
import { sleep } from "../http.js";
import { parseLossless, toPlain, type LosslessValue } from "../lossless-json.js";
import type { SqlGatewayClient } from "./client.js";
import type { ExecuteOptions, FetchResultsPage, OperationStatus, ResultPagesOptions, SqlColumn, SqlRow, StatementResult } from "./types.js";

/** One SQL Gateway session: statements run in it share its catalog, tables and config. */
export class SqlGatewaySession {
  constructor(
    readonly client: SqlGatewayClient,
    readonly handle: string,
  ) {}

  private path(rest = "") {
    return `/v2/sessions/${this.handle}${rest}`;
  }

  /** Submits a statement and returns its operation handle without waiting for results. */
  async submit(statement: string, options: Pick<ExecuteOptions, "executionConfig" | "executionTimeoutMs"> = {}): Promise<string> {
    const body = { statement, executionConfig: options.executionConfig, executionTimeout: options.executionTimeoutMs };
    const r = await this.client.request<{ operationHandle: string }>(this.path("/statements"), { method: "POST", body });
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

  /**
   * Every page of an operation's result, in order: follows `nextResultUri` until EOS, waiting while a page is
   * NOT_READY or empty (a running query). Yields each fetched page, so the caller can stop, time out or count
   * rows between pages. This is the one implementation of result paging.
   */
  pages(operation: string, options: ResultPagesOptions & { lossless: true }): AsyncGenerator<FetchResultsPage<LosslessValue>>;
  pages(operation: string, options?: ResultPagesOptions): AsyncGenerator<FetchResultsPage>;
  async *pages(operation: string, options: ResultPagesOptions = {}): AsyncGenerator<FetchResultsPage<unknown>> {
    let next: string | undefined = this.path(`/operations/${operation}/result/0?rowFormat=JSON`);
    const parse = options.lossless ? losslessPage : undefined;
    while (next && !options.signal?.aborted) {
      const page: FetchResultsPage<unknown> = await this.client.request(next, { signal: options.signal, parse });
      yield page;
      if (page.resultType === "EOS") return;
      // NOT_READY (and an empty PAYLOAD of a running query) ask us to come back to the same or next token.
      if (page.resultType === "NOT_READY" || (page.results?.data ?? []).length === 0) await sleep(this.client.pollIntervalMs, options.signal);
      next = page.nextResultUri ?? (page.resultType === "NOT_READY" ? next : undefined);
    }
  }

  /** Fetches an operation's whole result (or `maxRows` of it), giving up after `timeoutMs`. */
  async fetchAll(operation: string, options: Pick<ExecuteOptions, "maxRows" | "timeoutMs"> = {}): Promise<StatementResult> {
    const timeoutMs = options.timeoutMs ?? 300_000;
    const deadline = Date.now() + timeoutMs;
    const rows: SqlRow[] = [];
    let columns: SqlColumn[] = [];
    let jobId: string | undefined;
    let isQueryResult = false;
    for await (const page of this.pages(operation)) {
      jobId ??= page.jobID;
      isQueryResult ||= page.isQueryResult ?? false;
      if (page.results?.columns?.length) columns = page.results.columns;
      rows.push(...(page.results?.data ?? []));
      if (options.maxRows !== undefined && rows.length >= options.maxRows) {
        return { columns, rows: rows.slice(0, options.maxRows), jobId, isQueryResult, truncated: true };
      }
      if (page.resultType !== "EOS" && Date.now() > deadline) {
        throw new SqlGatewayError(408, `fetching results of operation ${operation} timed out after ${timeoutMs} ms`, "");
      }
    }
    return { columns, rows, jobId, isQueryResult, truncated: false };
  }

  /** Sets session config with a `SET`/`RESET`/`USE`/`CREATE …` statement (`configure-session`, no result). */
  async configure(statement: string): Promise<void> {
    await this.client.request(this.path("/configure-session"), { method: "POST", body: { statement } });
  }

  /** The status of an operation. */
  async status(operation: string): Promise<OperationStatus> {
    return (await this.client.request<{ status: OperationStatus }>(this.path(`/operations/${operation}/status`))).status;
  }

  /** Cancels a running operation (a Flink job it started keeps running: cancel that through the Flink REST API). */
  async cancel(operation: string): Promise<OperationStatus> {
    return (await this.client.request<{ status: OperationStatus }>(this.path(`/operations/${operation}/cancel`), { method: "POST" })).status;
  }

  /** Closes an operation and frees its results. */
  async closeOperation(operation: string): Promise<void> {
    await this.client.request(this.path(`/operations/${operation}/close`), { method: "DELETE" });
  }

  /** Keeps the session alive past the gateway's idle timeout. */
  async heartbeat(): Promise<void> {
    await this.client.request(this.path("/heartbeat"), { method: "POST" });
  }

  /** Closes the session. */
  async close(): Promise<void> {
    await this.client.request(this.path(), { method: "DELETE" });
  }
}

/** A result page with exact numbers in its cells; everything but the cells is plain JSON. */
function losslessPage(text: string): FetchResultsPage<LosslessValue> {
  const page = parseLossless(text) as unknown as FetchResultsPage<LosslessValue>;
  if (page.results?.columns) page.results.columns = toPlain(page.results.columns as unknown as LosslessValue) as unknown as SqlColumn[];
  if (page.jobID !== undefined) page.jobID = toPlain(page.jobID as unknown as LosslessValue) as string;
  return page;
}
