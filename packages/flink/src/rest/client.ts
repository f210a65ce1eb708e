import { requestJson, sleep, type JsonRequest } from "../http.js";
import { rootCause } from "../root-cause.js";
import { jobHealth, type FlinkJobExceptions, type JobHealth } from "./job-health.js";
import { recordCounts, type FlinkJobDetails } from "./job-records.js";
import { TERMINAL_FLINK_STATES, type CheckpointStats, type ClusterOverview, type FlinkJobSummary, type SavepointStatus } from "./types.js";

/** Options of the Flink REST client. */
export interface FlinkRestClientOptions {
  /** e.g. `http://127.0.0.1:8081`. */
  baseUrl: string;
  /** The HTTP seam (tests pass a fake). @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Wait between polls in `waitForState`. @default 250 */
  pollIntervalMs?: number;
}

/** The client of the Flink REST API: cluster and job status, checkpoints, metrics, savepoints, stop and cancel. */
export class FlinkRestClient {
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  readonly pollIntervalMs: number;

  constructor(options: FlinkRestClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.fetch = options.fetch ?? globalThis.fetch;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
  }

  /** One request to the REST API (`path` under the base URL). */
  request<T>(path: string, init?: JsonRequest): Promise<T> {
    return requestJson<T>(this.fetch, "rest", this.baseUrl, path, init);
  }

  /** Task managers and slots (`GET /overview`). */
  clusterOverview(signal?: AbortSignal): Promise<ClusterOverview> {
    return this.request("/overview", { signal });
  }

  /** The JobManager's configuration summary (`GET /config`): answers once the REST server is up. */
  clusterConfig(signal?: AbortSignal): Promise<Record<string, unknown>> {
    return this.request("/config", { signal });
  }

  /** Every job the cluster knows (`GET /jobs/overview`). */
  async jobs(): Promise<FlinkJobSummary[]> {
    return (await this.request<{ jobs: FlinkJobSummary[] }>("/jobs/overview")).jobs;
  }

  /** Jobs whose name starts with `prefix`. */
  async jobsNamed(prefix: string): Promise<FlinkJobSummary[]> {
    return (await this.jobs()).filter((j) => j.name.startsWith(prefix));
  }

  /** A job's details, or undefined when Flink does not know it (for example after a cluster restart). */
  job(id: string): Promise<FlinkJobDetails | undefined> {
    return this.request<FlinkJobDetails | undefined>(`/jobs/${id}`, { allow404: true });
  }

  /** A job's checkpoint statistics, or undefined for an unknown job. */
  checkpoints(id: string): Promise<CheckpointStats | undefined> {
    return this.request<CheckpointStats | undefined>(`/jobs/${id}/checkpoints`, { allow404: true });
  }

  /** When the job's latest checkpoint completed, if any. */
  async lastCheckpointAt(id: string): Promise<Date | undefined> {
    const at = (await this.checkpoints(id))?.latest?.completed?.latest_ack_timestamp;
    return at ? new Date(at) : undefined;
  }

  /**
   * A run's failovers, checkpoint counts and newest exception (`/jobs/:id/metrics?get=numRestarts`, `/checkpoints`,
   * `/exceptions`): a job that keeps failing over is RUNNING between restarts, and only these tell.
   */
  async health(id: string): Promise<JobHealth> {
    const [checkpoints, metrics, exceptions] = await Promise.all([
      this.checkpoints(id),
      this.request<{ id: string; value?: string }[] | undefined>(`/jobs/${id}/metrics?get=numRestarts`, { allow404: true }),
      this.request<FlinkJobExceptions | undefined>(`/jobs/${id}/exceptions?maxExceptions=1`, { allow404: true }),
    ]);
    return jobHealth(checkpoints, metrics?.find((m) => m.id === "numRestarts")?.value, exceptions);
  }

  /** Sums over a vertex's subtasks of the named metrics (`GET /jobs/:id/vertices/:v/subtasks/metrics`). */
  async vertexMetrics(jobId: string, vertexId: string, names: string[]): Promise<Map<string, number>> {
    const m = await this.request<{ id: string; sum: number }[] | undefined>(`/jobs/${jobId}/vertices/${vertexId}/subtasks/metrics?get=${names.join(",")}`, { allow404: true });
    return new Map((m ?? []).map((x) => [x.id, x.sum]));
  }

  /** Records read from the sources and written by the sinks, from the task metrics of each vertex. */
  async records(details: FlinkJobDetails): Promise<{ recordsIn: number; recordsOut: number }> {
    const counts = new Map<string, { in: number; out: number }>();
    await Promise.all(
      details.vertices.map(async (v) => {
        const m = await this.vertexMetrics(details.jid, v.id, ["numRecordsIn", "numRecordsOut"]);
        counts.set(v.id, { in: m.get("numRecordsIn") ?? 0, out: m.get("numRecordsOut") ?? 0 });
      }),
    );
    return recordCounts(details, counts);
  }

  /** The root cause of a failed job (`GET /jobs/:id/exceptions`), if Flink recorded one. */
  async failure(id: string): Promise<string | undefined> {
    const r = await this.request<{ "root-exception"?: string | null } | undefined>(`/jobs/${id}/exceptions`, { allow404: true });
    const trace = r?.["root-exception"];
    return trace ? rootCause(trace) : undefined;
  }

  /** Starts a stop-with-savepoint (`POST /jobs/:id/stop`, no drain unless asked); returns the trigger id. */
  async triggerStop(id: string, targetDirectory?: string, drain = false): Promise<string> {
    const body = targetDirectory ? { drain, targetDirectory } : { drain };
    return (await this.request<{ "request-id": string }>(`/jobs/${id}/stop`, { method: "POST", body }))["request-id"];
  }

  /** Starts a savepoint of a running job (`POST /jobs/:id/savepoints`); returns the trigger id. */
  async triggerSavepoint(id: string, options: { targetDirectory?: string; cancelJob?: boolean } = {}): Promise<string> {
    const body = { "cancel-job": options.cancelJob ?? false, ...(options.targetDirectory ? { "target-directory": options.targetDirectory } : {}) };
    return (await this.request<{ "request-id": string }>(`/jobs/${id}/savepoints`, { method: "POST", body }))["request-id"];
  }

  /** The state of a savepoint trigger (`GET /jobs/:id/savepoints/:trigger`), stop-with-savepoint's included. */
  async savepointStatus(id: string, trigger: string): Promise<SavepointStatus> {
    type R = { status: { id: string }; operation?: { location?: string; "failure-cause"?: { "stack-trace"?: string; class?: string } } | null };
    const r = await this.request<R>(`/jobs/${id}/savepoints/${trigger}`);
    if (r.status.id !== "COMPLETED") return { state: "IN_PROGRESS" };
    if (r.operation?.location) return { state: "COMPLETED", location: r.operation.location };
    const cause = r.operation?.["failure-cause"];
    return { state: "FAILED", failure: cause?.["stack-trace"] ? rootCause(cause["stack-trace"]) : (cause?.class ?? "savepoint failed") };
  }

  /** Polls a savepoint trigger until it completes or fails, up to `timeoutMs` (then IN_PROGRESS). */
  async waitForSavepoint(id: string, trigger: string, timeoutMs: number): Promise<SavepointStatus> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.savepointStatus(id, trigger);
      if (s.state !== "IN_PROGRESS" || Date.now() > deadline) return s;
      await sleep(this.pollIntervalMs);
    }
  }

  /** Asks Flink to cancel a job (`PATCH /jobs/:id?mode=cancel`); a job Flink no longer knows is left alone. */
  async cancel(id: string): Promise<void> {
    await this.request(`/jobs/${id}?mode=cancel`, { method: "PATCH", allow404: true });
  }

  /** Cancels a job unless it already ended, and waits until it did; returns the final state (undefined: unknown job). */
  async cancelAndWait(id: string, timeoutMs = 60_000): Promise<string | undefined> {
    const state = (await this.job(id))?.state;
    if (state === undefined || TERMINAL_FLINK_STATES.has(state)) return state;
    await this.cancel(id);
    return this.waitForState(id, TERMINAL_FLINK_STATES, timeoutMs);
  }

  /** Polls a job until its state is one of `states` (or it is unknown), up to `timeoutMs`; returns the last state. */
  async waitForState(id: string, states: ReadonlySet<string> | readonly string[], timeoutMs: number): Promise<string | undefined> {
    const wanted = new Set(states);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = (await this.job(id))?.state;
      if (state === undefined || wanted.has(state) || Date.now() > deadline) return state;
      await sleep(this.pollIntervalMs);
    }
  }

  /**
   * Waits until a job is FINISHED; throws with Flink's root cause when it FAILED or was CANCELED, or when it did
   * not finish within `timeoutMs`.
   */
  async waitFinished(id: string, timeoutMs: number): Promise<void> {
    const state = await this.waitForState(id, TERMINAL_FLINK_STATES, timeoutMs);
    if (state === "FINISHED") return;
    if (state === "FAILED" || state === "CANCELED") throw new Error(`job ${id} ${state}: ${(await this.failure(id)) ?? "no root exception"}`);
    throw new Error(`job ${id} did not finish within ${timeoutMs} ms (last state ${state ?? "unknown"})`);
  }
}
