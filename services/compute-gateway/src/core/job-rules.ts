import { jobParameters, type Warehouse } from "@trackway/warehouse";
import { Refusal } from "./refusal.js";

/** Flink's runtime mode of a run. */
export type RunMode = "STREAMING" | "BATCH";

/** What the rules need to know about a job. */
export interface JobView {
  definition: string;
  state: string;
  mode: RunMode | null;
  flinkJobId: string | null;
  savepointPath: string | null;
}

/** A job action refused because of the job's state: FAILED_PRECONDITION with this reason. */
export class StateConflict extends Error {
  override name = "StateConflict";
  constructor(
    readonly reason: "JOB_ALREADY_RUNNING" | "JOB_NOT_RUNNING" | "BATCH_JOB_NOT_STOPPABLE" | "NO_SAVEPOINT" | "ALREADY_IN_MODE",
    message: string,
  ) {
    super(message);
  }
}

// States after which a run does nothing more: Flink's terminal ones, plus ours (STOPPED after a savepoint, LOST
// when Flink no longer knows the run, CREATED before the first run).
const ENDED = new Set(["CREATED", "FINISHED", "CANCELED", "FAILED", "STOPPED", "LOST"]);

/** Whether the job has a run Flink may still be executing. */
export function isRunning(job: JobView): boolean {
  return job.flinkJobId !== null && !ENDED.has(job.state);
}

/** Checks a start in `mode`. */
export function checkStart(job: JobView, mode: RunMode, supported: readonly RunMode[]): void {
  if (!supported.includes(mode)) throw new Refusal("ARGUMENT_INVALID", `job definition ${job.definition} does not run in ${mode} mode (it supports ${supported.join(", ")})`);
  if (isRunning(job)) throw new StateConflict("JOB_ALREADY_RUNNING", `the job is ${job.state} (Flink job ${job.flinkJobId}); stop or cancel it first`);
}

/** Checks a stop with savepoint: only a running STREAMING run has state worth a savepoint. */
export function checkStop(job: JobView): void {
  if (!isRunning(job)) throw new StateConflict("JOB_NOT_RUNNING", `the job is ${job.state}; nothing to stop`);
  if (job.mode === "BATCH") throw new StateConflict("BATCH_JOB_NOT_STOPPABLE", "a BATCH run cannot take a savepoint; cancel it, or let it finish");
}

/** Checks a resume: the job must be idle and have a savepoint. */
export function checkResume(job: JobView): string {
  if (isRunning(job)) throw new StateConflict("JOB_ALREADY_RUNNING", `the job is ${job.state} (Flink job ${job.flinkJobId})`);
  if (!job.savepointPath) throw new StateConflict("NO_SAVEPOINT", "the job has no savepoint; stop it with StopJob first, or start it");
  return job.savepointPath;
}

/** Checks a cancel. */
export function checkCancel(job: JobView): void {
  if (!isRunning(job)) throw new StateConflict("JOB_NOT_RUNNING", `the job is ${job.state}; nothing to cancel`);
}

/** How a mode switch proceeds. */
export interface SwitchPlan {
  /** End the running run first: with a savepoint (STREAMING) or by cancelling it (BATCH has no savepoints). */
  end: "savepoint" | "cancel" | "none";
  /** Start the other mode from the latest savepoint (STREAMING, when one exists after `end`). */
  restore: boolean;
}

/** Plans a switch to `target`: the same SQL, run in the other mode. */
export function planSwitch(job: JobView, target: RunMode, supported: readonly RunMode[]): SwitchPlan {
  if (!supported.includes(target)) throw new Refusal("ARGUMENT_INVALID", `job definition ${job.definition} does not run in ${target} mode`);
  const running = isRunning(job);
  if (running && job.mode === target) throw new StateConflict("ALREADY_IN_MODE", `the job already runs in ${target} mode`);
  const end = !running ? "none" : job.mode === "STREAMING" ? "savepoint" : "cancel";
  return { end, restore: target === "STREAMING" };
}

// Parameter values are substituted into SQL text (mostly inside '…'): refuse what could end a literal or statement.
const UNSAFE = /['`\\;\r\n]|\$\{/;

/**
 * The parameters a new job is created with: the caller's values over the gateway's defaults (for the
 * parameters the definition declares). Unknown names, unsafe values and missing required values are refused.
 */
export function resolveParameters(wh: Warehouse, definition: string, given: Record<string, string>, defaults: Record<string, string>, modes: readonly RunMode[]): Record<string, string> {
  const declared = new Map<string, string | undefined>();
  for (const mode of modes) for (const [k, v] of Object.entries(jobParameters(wh, definition, mode))) declared.set(k, declared.get(k) ?? v);
  const unknown = Object.keys(given).filter((k) => !declared.has(k));
  if (unknown.length > 0) throw new Refusal("PARAMETER_INVALID", `unknown parameters for ${definition}: ${unknown.join(", ")} (it takes ${[...declared.keys()].sort().join(", ")})`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(defaults)) if (declared.has(k)) out[k] = v;
  Object.assign(out, given);
  for (const [k, v] of Object.entries(out)) if (UNSAFE.test(v)) throw new Refusal("PARAMETER_INVALID", `parameter ${k}: quotes, backslashes, semicolons, line breaks and \${ are not allowed`);
  const missing = [...declared].filter(([k, v]) => v === undefined && out[k] === undefined).map(([k]) => k);
  if (missing.length > 0) throw new Refusal("PARAMETER_INVALID", `${definition} needs a value for: ${missing.join(", ")}`);
  return out;
}
