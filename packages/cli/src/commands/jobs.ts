import type { Command } from "commander";
import {
  GetJobRequest,
  ListJobsRequest,
  RuntimeMode,
  type GetJobResponse,
  type Job,
} from "@trackway/proto/compute/v1";
import { note, step } from "../output.js";
import { computeOptions, withCompute, type ComputeClient, type ComputeTarget } from "./query.js";

const MODE_NAME: Record<number, string> = { [RuntimeMode.RUNTIME_MODE_STREAMING]: "STREAMING", [RuntimeMode.RUNTIME_MODE_BATCH]: "BATCH" };

function mode(text: string): RuntimeMode {
  const m = text.toUpperCase();
  if (m === "STREAMING") return RuntimeMode.RUNTIME_MODE_STREAMING;
  if (m === "BATCH") return RuntimeMode.RUNTIME_MODE_BATCH;
  throw new Error(`--mode ${text}: use streaming or batch`);
}

function param(text: string, all: Record<string, string>): Record<string, string> {
  const i = text.indexOf("=");
  if (i <= 0) throw new Error(`--param ${text}: expected name=value`);
  return { ...all, [text.slice(0, i)]: text.slice(i + 1) };
}

const line = (j: Job) =>
  [j.jobId, j.definition, MODE_NAME[j.mode] ?? "-", j.state, j.flinkJobId || "-", j.startedAt?.toISOString() ?? "-", j.savepointPath || "-"].join("\t");

function show(j: Job, json?: boolean): void {
  process.stdout.write(json ? `${JSON.stringify(j)}\n` : `${line(j)}\n`);
  if (j.failure) note(`failure: ${j.failure}`);
}

type Opts = ComputeTarget & { json?: boolean };

/** Runs one job RPC with progress and prints the job it returns. */
async function act(o: Opts, label: string, call: (c: ComputeClient) => Promise<{ job?: Job | undefined }>): Promise<void> {
  await withCompute(o, async (c) => {
    const r = await step(label, () => call(c));
    if (!r.job) throw new Error(`${label}: the gateway answered without a job`);
    show(r.job, o.json);
  });
}

/** Adds `trackway jobs list|create|start|status|stop|resume|cancel|switch`: warehouse jobs on Flink, through the compute gateway. */
export function registerJobs(program: Command): void {
  const jobs = program
    .command("jobs")
    .description("Warehouse jobs (jobs/*.sql) on Flink through the compute gateway; needs a key with the jobs:admin scope (trackway keys create --scope jobs:admin).");
  const cmd = (name: string) => computeOptions(jobs.command(name)).option("--json", "print the job as JSON");

  cmd("list")
    .description("Every job, newest first: id, definition, mode, state, Flink job id, started, savepoint.")
    .action((o: Opts) =>
      withCompute(o, async (c) => {
        const r = await c.listJobs(ListJobsRequest.fromPartial({}));
        for (const j of r.jobs) show(j, o.json);
        if (r.jobs.length === 0) note("no jobs (trackway jobs create <definition> makes one)");
      }),
    );

  cmd("create")
    .description("Create a job from a definition under jobs/ (e.g. ods_events, dws_event_counts_hourly); it does not run yet.")
    .argument("<definition>", "job file name without .sql")
    .option("-p, --param <name=value>", "a parameter of the definition (repeatable), e.g. events_topic=trackway.events.v1", param, {} as Record<string, string>)
    .action((definition: string, o: Opts & { param: Record<string, string> }) => act(o, `create ${definition}`, (c) => c.createJob({ definition, parameters: o.param })));

  cmd("start")
    .description("Start a new run (without state; resume continues from a savepoint).")
    .argument("<id>", "the job's id")
    .requiredOption("--mode <mode>", "streaming or batch")
    .action((id: string, o: Opts & { mode: string }) => act(o, `start ${id} in ${o.mode.toUpperCase()} mode`, (c) => c.startJob({ jobId: id, mode: mode(o.mode) })));

  cmd("status")
    .description("A job as Flink reports it now (state, last checkpoint, records in/out) and its runs.")
    .argument("<id>", "the job's id")
    .action((id: string, o: Opts) =>
      withCompute(o, async (c) => {
        const r = await c.getJob(GetJobRequest.fromPartial({ jobId: id }));
        if (o.json) {
          process.stdout.write(`${JSON.stringify(r)}\n`);
          return;
        }
        const j = r.job!;
        show(j);
        note(`last checkpoint ${j.lastCheckpointAt?.toISOString() ?? "-"}, records in ${j.recordsIn}, out ${j.recordsOut}`);
        note(`parameters ${Object.entries(j.parameters).map(([k, v]) => `${k}=${v}`).join(" ")}`);
        for (const run of r.runs) {
          note(`  run ${run.flinkJobId} ${MODE_NAME[run.mode] ?? "-"} ${run.startedAt?.toISOString() ?? "-"} → ${run.endState || "running"}${run.restoredFrom ? ` (from ${run.restoredFrom})` : ""}`);
        }
      }),
    );

  cmd("stop")
    .description("Stop the running STREAMING run with a savepoint.")
    .argument("<id>", "the job's id")
    .action((id: string, o: Opts) => act(o, `stop ${id} with a savepoint`, (c) => c.stopJob({ jobId: id })));

  cmd("resume")
    .description("Start a STREAMING run from the job's latest savepoint.")
    .argument("<id>", "the job's id")
    .action((id: string, o: Opts) => act(o, `resume ${id}`, (c) => c.resumeJob({ jobId: id })));

  cmd("cancel")
    .description("Cancel the running run, without a savepoint.")
    .argument("<id>", "the job's id")
    .action((id: string, o: Opts) => act(o, `cancel ${id}`, (c) => c.cancelJob({ jobId: id })));

  cmd("switch")
    .description("Run the same SQL in the other mode: a STREAMING run stops with a savepoint, a BATCH run is cancelled.")
    .argument("<id>", "the job's id")
    .requiredOption("--mode <mode>", "the mode to switch to: streaming or batch")
    .action((id: string, o: Opts & { mode: string }) => act(o, `switch ${id} to ${o.mode.toUpperCase()}`, (c) => c.switchJobMode({ jobId: id, mode: mode(o.mode) })));
}
