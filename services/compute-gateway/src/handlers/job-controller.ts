import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "@trackway/runtime";
import { TERMINAL_FLINK_STATES, type FlinkRestClient, type JobHealth, type SqlGatewayClient } from "@trackway/flink";
import { runJob, type Warehouse } from "@trackway/warehouse";
import { checkCancel, checkResume, checkStart, checkStop, isRunning, planSwitch, resolveParameters, type RunMode } from "../core/job-rules.js";
import { definitionNotFound, jobNotFound, savepointFailed } from "../errors.js";
import type { JobRecord, JobStore, RunRecord } from "../store/job-store.js";
import { gatewayFailure } from "../store/statement-runner.js";
import { toTrackwayError } from "./errors-map.js";

/** What Flink says about a job's current or last run, beyond its state. */
export interface LiveInfo {
  startedAt?: Date;
  lastCheckpointAt?: Date;
  recordsIn: number;
  recordsOut: number;
  /** Failovers, checkpoint counts and the newest exception of the run Flink still knows. */
  health?: JobHealth;
}

/** Dependencies and limits of the job controller. */
export interface JobControllerOptions {
  store: JobStore;
  flink: FlinkRestClient;
  gateway: SqlGatewayClient;
  warehouse: Warehouse;
  /** Parameter values every new job gets unless given (hudi_base_path, kafka_brokers, checkpoint_interval). */
  defaults: Record<string, string>;
  /** Where savepoints go; unset uses the cluster's `state.savepoints.dir`. */
  savepointDir?: string;
  savepointTimeoutMs: number;
  logger: Logger;
}

const SETTLED = new Set(["RUNNING", ...TERMINAL_FLINK_STATES]);

/** Flink's state as the job records it; Flink's CREATED would read as "never started" (our CREATED). */
const recordedState = (flinkState: string) => (flinkState === "CREATED" ? "INITIALIZING" : flinkState);

/** The name every run of a job gets in Flink (`pipeline.name`), so that Flink's job list shows whose run it is. */
export const pipelineName = (job: Pick<JobRecord, "id" | "definition">, mode: RunMode) => `trackway-job:${job.id}:${job.definition}:${mode}`;

/**
 * Runs warehouse jobs on Flink through the SQL Gateway (submission) and the Flink REST API (state, savepoints,
 * cancel), keeping every job, run and savepoint in PostgreSQL. Each action holds the job's lock and first
 * reconciles the stored state with Flink's, so a restarted gateway (or another instance) acts on the truth.
 */
export class JobController {
  constructor(private readonly o: JobControllerOptions) {}

  /** Creates a job from a definition under jobs/; nothing runs yet. */
  async create(definition: string, parameters: Record<string, string>, createdBy: string): Promise<JobRecord> {
    const def = this.o.warehouse.jobs.get(definition);
    if (!def) throw definitionNotFound(definition, [...this.o.warehouse.jobs.keys()]);
    const values = resolveParameters(this.o.warehouse, definition, parameters, this.o.defaults, def.modes);
    return this.o.store.create(definition, values, createdBy);
  }

  /** Starts a new run in `mode` (without state: use resume to continue from a savepoint). */
  start(id: string, mode: RunMode): Promise<JobRecord> {
    return this.locked(id, async (job) => {
      checkStart(job, mode, this.modes(job));
      return this.submit(job, mode);
    });
  }

  /** Stops the running STREAMING run with a savepoint. */
  stop(id: string): Promise<JobRecord> {
    return this.locked(id, async (job) => {
      checkStop(job);
      return this.stopWithSavepoint(job);
    });
  }

  /** Starts a STREAMING run from the job's latest savepoint. */
  resume(id: string): Promise<JobRecord> {
    return this.locked(id, async (job) => this.submit(job, "STREAMING", checkResume(job)));
  }

  /** Cancels the running run, without a savepoint. */
  cancel(id: string): Promise<JobRecord> {
    return this.locked(id, async (job) => {
      checkCancel(job);
      return this.cancelRun(job);
    });
  }

  /** Ends the running run (savepoint for STREAMING, cancel for BATCH) and runs the same SQL in `target` mode. */
  switchMode(id: string, target: RunMode): Promise<JobRecord> {
    return this.locked(id, async (job) => {
      const plan = planSwitch(job, target, this.modes(job));
      let current = job;
      if (plan.end === "savepoint") current = await this.stopWithSavepoint(job);
      else if (plan.end === "cancel") current = await this.cancelRun(job);
      return this.submit(current, target, plan.restore ? (current.savepointPath ?? undefined) : undefined);
    });
  }

  /** A job, reconciled with Flink, with its runs and what Flink reports about the current or last one. */
  async get(id: string): Promise<{ job: JobRecord; runs: RunRecord[]; live: LiveInfo }> {
    const stored = await this.o.store.get(id);
    if (!stored) throw jobNotFound(id);
    const job = await this.reconcile(stored);
    const [runs, live] = await Promise.all([this.o.store.runs(id), this.live(job)]);
    return { job, runs, live };
  }

  /** Every job, newest first, each reconciled with Flink. */
  async list(): Promise<{ job: JobRecord; live: LiveInfo }[]> {
    const jobs = await Promise.all((await this.o.store.list()).map((j) => this.reconcile(j)));
    return Promise.all(jobs.map(async (job) => ({ job, live: await this.live(job) })));
  }

  private modes(job: JobRecord): RunMode[] {
    const def = this.o.warehouse.jobs.get(job.definition);
    if (!def) throw definitionNotFound(job.definition, [...this.o.warehouse.jobs.keys()]);
    return def.modes;
  }

  private async locked(id: string, fn: (job: JobRecord) => Promise<JobRecord>): Promise<JobRecord> {
    return this.o.store.withLock(id, async () => {
      const stored = await this.o.store.get(id);
      if (!stored) throw jobNotFound(id);
      try {
        return await fn(await this.reconcile(stored));
      } catch (e) {
        throw toTrackwayError(e);
      }
    });
  }

  /** Submits the job's statements in a fresh session (so no table definition of an earlier run lingers). */
  private async submit(job: JobRecord, mode: RunMode, savepoint?: string): Promise<JobRecord> {
    const session = await this.o.gateway
      .openSession({ name: `trackway-${job.id}`, properties: { "pipeline.name": pipelineName(job, mode) } })
      .catch((e: unknown) => Promise.reject(gatewayFailure(e, this.o.gateway.baseUrl)));
    let flinkJobId: string;
    try {
      ({ flinkJobId } = await runJob(session, this.o.warehouse, job.definition, mode, job.parameters, savepoint));
    } catch (e) {
      throw gatewayFailure(e, this.o.gateway.baseUrl);
    } finally {
      // The submitted job runs on without the session.
      await session.close().catch(() => undefined);
    }
    const state = await this.o.flink.waitForState(flinkJobId, SETTLED, 30_000);
    const details = await this.o.flink.job(flinkJobId);
    this.o.logger.info("job run started", { job: job.id, definition: job.definition, mode, flinkJobId, restoredFrom: savepoint ?? null });
    const started = await this.o.store.startRun(job.id, { flinkJobId, mode, restoredFrom: savepoint, startedAt: new Date(details?.["start-time"] ?? Date.now()) });
    return state && state !== "RUNNING" ? this.reconcile(started) : started;
  }

  private async stopWithSavepoint(job: JobRecord): Promise<JobRecord> {
    const fid = job.flinkJobId!;
    await this.waitForTasks(fid);
    const trigger = await this.o.flink.triggerStop(fid, this.o.savepointDir);
    const deadline = Date.now() + this.o.savepointTimeoutMs;
    for (;;) {
      const s = await this.o.flink.savepointStatus(fid, trigger);
      if (s.state === "FAILED") throw savepointFailed(s.failure);
      if (s.state === "COMPLETED") {
        // After the savepoint the job finishes; record it once Flink says so (or the wait ends).
        await this.o.flink.waitForState(fid, TERMINAL_FLINK_STATES, 60_000);
        this.o.logger.info("job stopped with savepoint", { job: job.id, flinkJobId: fid, savepoint: s.location });
        return this.o.store.endRun(job.id, fid, { state: "STOPPED", savepointPath: s.location });
      }
      if (Date.now() > deadline) throw savepointFailed(`the savepoint of Flink job ${fid} did not complete within ${this.o.savepointTimeoutMs} ms`);
      await sleep(300);
    }
  }

  /** A savepoint needs every task running; a job that just started may still be deploying them. */
  private async waitForTasks(fid: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const d = await this.o.flink.job(fid);
      if (!d || d.vertices.every((v) => v.status === undefined || v.status === "RUNNING")) return;
      await sleep(250);
    }
  }

  private async cancelRun(job: JobRecord): Promise<JobRecord> {
    const fid = job.flinkJobId!;
    await this.o.flink.cancel(fid);
    const state = (await this.o.flink.waitForState(fid, TERMINAL_FLINK_STATES, 60_000)) ?? "CANCELED";
    this.o.logger.info("job cancelled", { job: job.id, flinkJobId: fid, state });
    return this.o.store.endRun(job.id, fid, { state: recordedState(state), failure: state === "FAILED" ? await this.o.flink.failure(fid) : undefined });
  }

  /** Brings the stored state of a running job in line with Flink's (finished, failed, or forgotten by a restarted cluster). */
  private async reconcile(job: JobRecord): Promise<JobRecord> {
    if (!isRunning(job)) return job;
    const fid = job.flinkJobId!;
    const details = await this.o.flink.job(fid);
    if (!details) return this.o.store.endRun(job.id, fid, { state: "LOST", failure: `Flink no longer knows job ${fid} (was the cluster restarted?)` });
    const state = recordedState(details.state);
    if (state === job.state) return job;
    if (TERMINAL_FLINK_STATES.has(state)) {
      return this.o.store.endRun(job.id, fid, { state, failure: state === "FAILED" ? await this.o.flink.failure(fid) : undefined });
    }
    return this.o.store.setState(job.id, fid, state);
  }

  private async live(job: JobRecord): Promise<LiveInfo> {
    const none: LiveInfo = { startedAt: job.startedAt ?? undefined, recordsIn: 0, recordsOut: 0 };
    if (!job.flinkJobId) return none;
    const details = await this.o.flink.job(job.flinkJobId).catch(() => undefined);
    if (!details) return none;
    const [lastCheckpointAt, records, health] = await Promise.all([
      this.o.flink.lastCheckpointAt(details.jid),
      this.o.flink.records(details),
      this.o.flink.health(details.jid).catch(() => undefined),
    ]);
    return { startedAt: new Date(details["start-time"]), lastCheckpointAt, ...records, health };
  }
}
