import {
  CancelJobRequest,
  ListJobsRequest,
  ResumeJobRequest,
  RuntimeMode,
  StartJobRequest,
  StopJobRequest,
  SwitchJobModeRequest,
  type Job,
  type ListJobsResponse,
} from "@trackway/proto/compute/v1";
import { callUnary } from "../clients.js";
import { badRequest } from "../errors.js";
import { jobCondition } from "../core/job-condition.js";
import type { Route, RouteContext } from "../http/router.js";
import type { JobView } from "./wire.js";

const modeName = (m: RuntimeMode) => RuntimeMode[m]?.replace("RUNTIME_MODE_", "") ?? "UNSPECIFIED";

/** A job as the Jobs page shows it. */
export const jobView = (j: Job): JobView => ({
  jobId: j.jobId,
  definition: j.definition,
  mode: modeName(j.mode),
  state: j.state,
  flinkJobId: j.flinkJobId,
  startedAt: j.startedAt?.toISOString() ?? null,
  lastCheckpointAt: j.lastCheckpointAt?.toISOString() ?? null,
  recordsIn: j.recordsIn,
  recordsOut: j.recordsOut,
  savepointPath: j.savepointPath,
  failure: j.failure,
  restarts: j.restarts,
  completedCheckpoints: j.completedCheckpoints,
  failedCheckpoints: j.failedCheckpoints,
  lastFailedCheckpointAt: j.lastFailedCheckpointAt?.toISOString() ?? null,
  lastException: j.lastException,
  lastExceptionAt: j.lastExceptionAt?.toISOString() ?? null,
  condition: jobCondition(j),
});

function modeOf(v: unknown): RuntimeMode {
  if (v === "STREAMING") return RuntimeMode.RUNTIME_MODE_STREAMING;
  if (v === "BATCH") return RuntimeMode.RUNTIME_MODE_BATCH;
  throw badRequest("mode must be STREAMING or BATCH");
}

const compute = <Req, Res>(ctx: RouteContext, method: string, type: { fromPartial(x: object): Req }, req: object) =>
  callUnary<Req, Res>(ctx.clients.compute, method, type, req, ctx.apiKey, ctx.clients.timeoutMs);

/** Job-control actions; the compute gateway refuses them unless the key's tenant is an operator. */
const ACTIONS: Record<string, (ctx: RouteContext, jobId: string, body: { mode?: unknown }) => Promise<{ job?: Job }>> = {
  start: (ctx, jobId, b) => compute(ctx, "startJob", StartJobRequest, { jobId, mode: modeOf(b.mode) }),
  stop: (ctx, jobId) => compute(ctx, "stopJob", StopJobRequest, { jobId }),
  resume: (ctx, jobId) => compute(ctx, "resumeJob", ResumeJobRequest, { jobId }),
  cancel: (ctx, jobId) => compute(ctx, "cancelJob", CancelJobRequest, { jobId }),
  switch: (ctx, jobId, b) => compute(ctx, "switchJobMode", SwitchJobModeRequest, { jobId, mode: modeOf(b.mode) }),
};

/** The Jobs page's routes: list and control the warehouse jobs. */
export const jobRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/jobs",
    handler: async (ctx) => ({ jobs: (await compute<ListJobsRequest, ListJobsResponse>(ctx, "listJobs", ListJobsRequest, {})).jobs.map(jobView) }),
  },
  {
    method: "POST",
    path: "/api/jobs/:id/:action",
    handler: async (ctx) => {
      const action = ACTIONS[ctx.params.action!];
      if (!action) throw badRequest(`unknown job action ${ctx.params.action}: one of ${Object.keys(ACTIONS).join(", ")}`);
      const r = await action(ctx, ctx.params.id!, (await ctx.body()) as { mode?: unknown });
      return { job: r.job ? jobView(r.job) : null };
    },
  },
];
