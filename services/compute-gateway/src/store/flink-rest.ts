import { rootCause } from "../core/flink-errors.js";
import { recordCounts, type FlinkJobDetails } from "../core/flink-job-info.js";
import { flinkError, flinkUnavailable } from "../errors.js";

/** A job in Flink's overview. */
export interface FlinkJobSummary {
  jid: string;
  name: string;
  state: string;
  "start-time": number;
}

/** Where a savepoint trigger is. */
export type SavepointStatus = { state: "IN_PROGRESS" } | { state: "COMPLETED"; location: string } | { state: "FAILED"; failure: string };

/** Flink states after which a job does nothing more. */
export const TERMINAL_FLINK_STATES = new Set(["FINISHED", "CANCELED", "FAILED"]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small client of the Flink REST API (job status, checkpoints, metrics, stop with savepoint, cancel). */
export class FlinkRest {
  constructor(
    readonly baseUrl: string,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  private async call<T>(path: string, init: { method?: string; body?: unknown } = {}, allow404 = false): Promise<T | undefined> {
    let res: Response;
    try {
      res = await this.fetchFn(`${this.baseUrl}${path}`, {
        method: init.method ?? "GET",
        headers: init.body === undefined ? undefined : { "content-type": "application/json" },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    } catch (e) {
      throw flinkUnavailable(`the Flink REST API at ${this.baseUrl}`, e);
    }
    const text = await res.text();
    if (res.status === 404 && allow404) return undefined;
    if (!res.ok) {
      let details = text;
      try {
        details = ((JSON.parse(text) as { errors?: string[] }).errors ?? [text]).join("\n");
      } catch {
        // not JSON: keep the text
      }
      throw flinkError(rootCause(details));
    }
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** Every job the cluster knows (`GET /jobs/overview`). */
  async overview(): Promise<FlinkJobSummary[]> {
    return (await this.call<{ jobs: FlinkJobSummary[] }>("/jobs/overview"))!.jobs;
  }

  /** A job's details, or undefined when Flink does not know it (for example after a cluster restart). */
  job(id: string): Promise<FlinkJobDetails | undefined> {
    return this.call<FlinkJobDetails>(`/jobs/${id}`, {}, true);
  }

  /** When the job's latest checkpoint completed, if any. */
  async lastCheckpointAt(id: string): Promise<Date | undefined> {
    const c = await this.call<{ latest?: { completed?: { latest_ack_timestamp?: number } | null } }>(`/jobs/${id}/checkpoints`, {}, true);
    const at = c?.latest?.completed?.latest_ack_timestamp;
    return at ? new Date(at) : undefined;
  }

  /** Records read from the sources and written by the sinks, from the task metrics of each vertex. */
  async records(details: FlinkJobDetails): Promise<{ recordsIn: number; recordsOut: number }> {
    const counts = new Map<string, { in: number; out: number }>();
    await Promise.all(
      details.vertices.map(async (v) => {
        const m = await this.call<{ id: string; sum: number }[]>(`/jobs/${details.jid}/vertices/${v.id}/subtasks/metrics?get=numRecordsIn,numRecordsOut`, {}, true);
        const get = (name: string) => m?.find((x) => x.id === name)?.sum ?? 0;
        counts.set(v.id, { in: get("numRecordsIn"), out: get("numRecordsOut") });
      }),
    );
    return recordCounts(details, counts);
  }

  /** The root cause of a failed job (`GET /jobs/:id/exceptions`), if Flink recorded one. */
  async failure(id: string): Promise<string | undefined> {
    const r = await this.call<{ "root-exception"?: string | null }>(`/jobs/${id}/exceptions`, {}, true);
    const trace = r?.["root-exception"];
    return trace ? rootCause(trace) : undefined;
  }

  /** Starts a stop-with-savepoint (`POST /jobs/:id/stop`, no drain); returns the trigger id. */
  async triggerStop(id: string, targetDirectory?: string): Promise<string> {
    const body = targetDirectory ? { drain: false, targetDirectory } : { drain: false };
    return (await this.call<{ "request-id": string }>(`/jobs/${id}/stop`, { method: "POST", body }))!["request-id"];
  }

  /** The state of a savepoint trigger (`GET /jobs/:id/savepoints/:trigger`). */
  async savepointStatus(id: string, trigger: string): Promise<SavepointStatus> {
    type R = { status: { id: string }; operation?: { location?: string; "failure-cause"?: { "stack-trace"?: string; class?: string } } | null };
    const r = (await this.call<R>(`/jobs/${id}/savepoints/${trigger}`))!;
    if (r.status.id !== "COMPLETED") return { state: "IN_PROGRESS" };
    if (r.operation?.location) return { state: "COMPLETED", location: r.operation.location };
    const cause = r.operation?.["failure-cause"];
    return { state: "FAILED", failure: cause?.["stack-trace"] ? rootCause(cause["stack-trace"]) : (cause?.class ?? "savepoint failed") };
  }

  /** Asks Flink to cancel a job (`PATCH /jobs/:id?mode=cancel`); a job Flink no longer knows is left alone. */
  async cancel(id: string): Promise<void> {
    await this.call(`/jobs/${id}?mode=cancel`, { method: "PATCH" }, true);
  }

  /** Polls a job until its state is one of `states` (or it is unknown), up to `timeoutMs`; returns the last state. */
  async waitForState(id: string, states: ReadonlySet<string>, timeoutMs: number): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = (await this.job(id))?.state;
      if (state === undefined || states.has(state) || Date.now() > deadline) return state;
      await sleep(250);
    }
  }
}
