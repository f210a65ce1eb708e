import { status, type ServerUnaryCall } from "@grpc/grpc-js";
import {
  RuntimeMode,
  type CancelJobRequest,
  type CreateJobRequest,
  type GetJobRequest,
  type GetJobResponse,
  type Job,
  type JobRun,
  type ResumeJobRequest,
  type StartJobRequest,
  type StopJobRequest,
  type SwitchJobModeRequest,
} from "@trackway/proto/compute/v1";
import { TrackwayError } from "@trackway/runtime";
import type { RunMode } from "../core/job-rules.js";
import type { JobRecord, RunRecord } from "../store/job-store.js";
import type { Authenticate } from "./auth.js";
import { toTrackwayError } from "./errors-map.js";
import type { JobController, LiveInfo } from "./job-controller.js";

type Call = ServerUnaryCall<unknown, unknown>;

const toProtoMode = (m: RunMode | null): RuntimeMode =>
  m === "STREAMING" ? RuntimeMode.RUNTIME_MODE_STREAMING : m === "BATCH" ? RuntimeMode.RUNTIME_MODE_BATCH : RuntimeMode.RUNTIME_MODE_UNSPECIFIED;

function fromProtoMode(m: RuntimeMode): RunMode {
  if (m === RuntimeMode.RUNTIME_MODE_STREAMING) return "STREAMING";
  if (m === RuntimeMode.RUNTIME_MODE_BATCH) return "BATCH";
  throw new TrackwayError(status.INVALID_ARGUMENT, "MODE_REQUIRED", "mode must be RUNTIME_MODE_STREAMING or RUNTIME_MODE_BATCH");
}

/** The proto Job of a stored job and what Flink reports about its run. */
export function toProtoJob(j: JobRecord, live?: LiveInfo): Job {
  return {
    jobId: j.id,
    definition: j.definition,
    mode: toProtoMode(j.mode),
    state: j.state,
    flinkJobId: j.flinkJobId ?? "",
    startedAt: live?.startedAt ?? j.startedAt ?? undefined,
    lastCheckpointAt: live?.lastCheckpointAt,
    recordsIn: live?.recordsIn ?? 0,
    recordsOut: live?.recordsOut ?? 0,
    savepointPath: j.savepointPath ?? "",
    parameters: j.parameters,
    failure: j.failure ?? "",
    restarts: live?.health?.restarts ?? 0,
    failedCheckpoints: live?.health?.failedCheckpoints ?? 0,
    completedCheckpoints: live?.health?.completedCheckpoints ?? 0,
    lastException: live?.health?.lastException?.message ?? "",
    lastExceptionAt: live?.health?.lastException?.at,
    lastFailedCheckpointAt: live?.health?.lastFailedCheckpointAt,
  };
}

const toProtoRun = (r: RunRecord): JobRun => ({
  flinkJobId: r.flinkJobId,
  mode: toProtoMode(r.mode),
  startedAt: r.startedAt,
  endedAt: r.endedAt ?? undefined,
  endState: r.endState ?? "",
  restoredFrom: r.restoredFrom ?? "",
  failure: r.failure ?? "",
});

/**
 * The job-control RPCs over the JobController; only operator tenants may call them. Each answers with the job
 * as it is after the action.
 */
export function jobRpcs(jobs: JobController, auth: Authenticate) {
  const mapped = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw toTrackwayError(e);
    }
  };
  const withJob = async (call: Call, fn: () => Promise<JobRecord>) => {
    await auth(call);
    return { job: toProtoJob(await mapped(fn)) };
  };
  return {
    createJob: async (req: CreateJobRequest, call: Call) => {
      const tenant = await auth(call);
      return { job: toProtoJob(await mapped(() => jobs.create(req.definition, req.parameters, tenant))) };
    },
    startJob: (req: StartJobRequest, call: Call) => withJob(call, () => jobs.start(req.jobId, fromProtoMode(req.mode))),
    stopJob: (req: StopJobRequest, call: Call) => withJob(call, () => jobs.stop(req.jobId)),
    resumeJob: (req: ResumeJobRequest, call: Call) => withJob(call, () => jobs.resume(req.jobId)),
    cancelJob: (req: CancelJobRequest, call: Call) => withJob(call, () => jobs.cancel(req.jobId)),
    switchJobMode: (req: SwitchJobModeRequest, call: Call) => withJob(call, () => jobs.switchMode(req.jobId, fromProtoMode(req.mode))),
    getJob: async (req: GetJobRequest, call: Call): Promise<GetJobResponse> => {
      await auth(call);
      const { job, runs, live } = await mapped(() => jobs.get(req.jobId));
      return { job: toProtoJob(job, live), runs: runs.map(toProtoRun) };
    },
    listJobs: async (_req: unknown, call: Call) => {
      await auth(call);
      return { jobs: (await mapped(() => jobs.list())).map(({ job, live }) => toProtoJob(job, live)) };
    },
  };
}
