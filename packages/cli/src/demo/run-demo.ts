import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { DescMessage } from "@trackway/envelope";
import { createPool } from "@trackway/db";
import { ApiKeyStore } from "@trackway/auth";
import {
  CountEventsRequest,
  CountUniqueUsersRequest,
  CreateJobRequest,
  FunnelRequest,
  Granularity,
  ListJobsRequest,
  RuntimeMode,
  StartJobRequest,
  type CountEventsResponse,
  type CountUniqueUsersResponse,
  type CreateJobResponse,
  type FunnelResponse,
  type Job,
  type ListJobsResponse,
  type StartJobResponse,
} from "@trackway/proto/compute/v1";
import { createRegistryClient, loadSchema } from "@trackway/registry-client";
import { loadWarehouse } from "@trackway/warehouse";
import { engineParts, repoRoot, serviceParts, stackEndpoints, up } from "@trackway/stack";
import { step } from "../output.js";
import { computeClient } from "../commands/query.js";
import { FUNNEL_STEPS, type DemoAnswers } from "./expected.js";
import { sendStream, type SendOutcome } from "./send-stream.js";
import { shopStream, type PlannedEvent } from "./shop-stream.js";
import { cliEnv } from "../env.js";

/** Options of the demo's main job. */
export interface DemoOptions {
  users: number;
  seed: number;
  hours: number;
  /** The stream's events happen in the `hours` before this instant. */
  end: number;
  ingest: string;
  registry: string;
  compute: string;
  /** How long to wait for the warehouse to hold every accepted event. */
  waitSeconds: number;
}

/** What the demo did: the answers read back from the query RPCs, what was sent, and each step's time. */
export interface DemoResult {
  tenant: string;
  answers: DemoAnswers;
  sent: SendOutcome;
  planned: PlannedEvent[];
  rejectionExamples: Record<string, string>;
  timings: { step: string; seconds: number }[];
}

/**
 * ODS, and `dws`: the two metric tables and the activity tables the analytics RPCs answer from (trends, stickiness
 * and counts read dws_event_activity_{hourly,daily} when they can), in one job that reads ods_events once.
 */
const WAREHOUSE_JOBS = ["ods_events", "dws"];
const SUBJECTS = ["shop.page_viewed", "shop.product_viewed", "shop.product_added", "shop.checkout_started", "shop.order_completed"];
const run = promisify(execFile);
/** The tenant of the demo's operator key: only a label, its rights come from its scopes. */
const OPERATOR_TENANT = cliEnv.TRACKWAY_DEMO_OPERATOR_TENANT;
/** The tenant owning the shop's contracts in the registry. */
const SCHEMA_TENANT = "shop-team";

/** Starts each warehouse job unless a run of it is already going (the demo may be run again on a live platform). */
type Compute = ReturnType<typeof computeClient>;

async function ensureJobs(compute: Compute): Promise<Job[]> {
  const { jobs } = await compute.listJobs(ListJobsRequest.fromPartial({}));
  const wh = await loadWarehouse();
  const out: Job[] = [];
  for (const definition of WAREHOUSE_JOBS) {
    // A platform that ran an older demo streams the DWS tables one job each (the jobs `dws` combines): a second
    // writer of their tables would conflict with them.
    const members = wh.jobs.get(definition)?.combines ?? [];
    const covers = (d: string) => d === definition || members.includes(d);
    const running = jobs.find((j) => covers(j.definition) && j.mode === RuntimeMode.RUNTIME_MODE_STREAMING && ["RUNNING", "CREATED", "INITIALIZING", "RESTARTING"].includes(j.state));
    if (running) {
      out.push(running);
      continue;
    }
    const { job } = await compute.createJob(CreateJobRequest.fromPartial({ definition, parameters: { checkpoint_interval: "2s" } }));
    const started = await compute.startJob(StartJobRequest.fromPartial({ jobId: job!.jobId, mode: RuntimeMode.RUNTIME_MODE_STREAMING }));
    out.push(started.job!);
  }
  return out;
}

/** The answers, as the query RPCs give them. */
async function readAnswers(compute: Compute, start: Date, end: Date, rejected: SendOutcome["rejected"]): Promise<DemoAnswers> {
  const range = { start, end };
  // One after another: the gateway caps each tenant's concurrent statements (TRACKWAY_COMPUTE_TENANT_MAX_QUERIES, 2).
  const counts = await compute.countEvents(CountEventsRequest.fromPartial({ range, granularity: Granularity.GRANULARITY_HOUR }));
  const users = await compute.countUniqueUsers(CountUniqueUsersRequest.fromPartial({ range, granularity: Granularity.GRANULARITY_DAY }));
  const funnel = await compute.funnel(FunnelRequest.fromPartial({ range, steps: FUNNEL_STEPS, window: { seconds: 3600, nanos: 0 } }));
  const byReason: Record<string, number> = {};
  for (const r of rejected) byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
  return {
    hourly: counts.counts.map((c) => ({ hour: c.bucketStart!.toISOString(), eventName: c.eventName, events: c.count, users: c.uniqueUsers })),
    uniqueUsers: users.total,
    funnel: funnel.steps.map((s) => ({ step: s.eventName, users: s.users })),
    rejected: byReason,
  };
}

/**
 * The demo's main job: the platform up, the shop's contracts registered, the warehouse jobs streaming, a
 * realistic stream sent through the SDK, then the answers read back from the compute gateway.
 */
export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const timings: DemoResult["timings"] = [];
  const timed = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const r = await step(label, fn);
    timings.push({ step: label, seconds: Number(((performance.now() - t) / 1000).toFixed(1)) });
    return r;
  };

  await timed("platform up: Kafka, Flink + SQL Gateway, PostgreSQL, registry, ingest, compute gateway", async () => {
    await up({ parts: engineParts, progress: "quiet" });
    await up({ parts: serviceParts, progress: "quiet" });
  });
  // A tenant of its own: the answers are exactly this run's events, even on a platform that ran the demo before.
  const tenant = `demo-${Date.now().toString(36)}`;
  // Three keys: the shop's (send and query its own events), the shop team's schema key (owns the shop.* contracts)
  // and an operator's (job control needs jobs:admin).
  const [apiKey, operatorKey, schemaKey] = await timed(`API keys for tenant ${tenant}: the shop's, its contracts' (schemas:write) and an operator's (jobs:admin)`, async () => {
    const pool = createPool(stackEndpoints().databaseUrl, { max: 1, applicationName: "trackway-demo" });
    try {
      const store = new ApiKeyStore(pool);
      const shop = await store.create({ tenant, name: "demo", createdBy: "demo" });
      const ops = await store.create({ tenant: OPERATOR_TENANT, name: "demo jobs", scopes: ["query:read", "jobs:admin"], createdBy: "demo" });
      // A stable tenant, so that a demo run again on the same platform still owns the contracts it registered.
      const contracts = await store.create({ tenant: SCHEMA_TENANT, name: "demo contracts", scopes: ["schemas:read", "schemas:write"], createdBy: "demo" });
      return [shop.key, ops.key, contracts.key];
    } finally {
      await pool.end();
    }
  });
  await timed("register the shop's event contracts (examples/proto)", () =>
    run(process.execPath, [join(repoRoot, "packages/cli/bin/trackway.js"), "schema", "push", "--dir", join(repoRoot, "examples/proto"), "--registry", o.registry], {
      env: { ...process.env, TRACKWAY_API_KEY: schemaKey },
    }),
  );
  const compute = computeClient({ address: o.compute, apiKey });
  const operator = computeClient({ address: o.compute, apiKey: operatorKey });
  try {
    await timed(`warehouse jobs streaming: ${WAREHOUSE_JOBS.join(", ")}`, () => ensureJobs(operator));
    const messages = await timed("load the registered message types", async () => {
      const registry = createRegistryClient(o.registry, { apiKey });
      try {
        const out = new Map<string, DescMessage>();
        for (const subject of SUBJECTS) {
          const { schema } = await registry.getSchema({ subject });
          out.set(subject, loadSchema(schema!.descriptorSet, schema!.messageName).message);
        }
        return out;
      } finally {
        registry.close();
      }
    });
    const planned = shopStream({ seed: o.seed, users: o.users, end: o.end, hours: o.hours });
    const sent = await timed(`send ${planned.length} events of ${o.users} users through the SDK`, () => sendStream(o.ingest, apiKey, messages, planned));
    const acceptedIds = new Set(planned.filter((e) => !e.invalid).map((e) => e.id)).size;
    const start = new Date(o.end - o.hours * 3_600_000);
    const end = new Date(o.end);
    await timed(`wait until the warehouse holds all ${acceptedIds} accepted events`, async () => {
      const deadline = Date.now() + o.waitSeconds * 1000;
      // Each answer comes from its own table: hourly counts from dws_event_activity_hourly (a range on hour bounds),
      // unique users and the funnel from ods_events (asked by day on a range that is not: see dwsTableFor). The
      // streaming jobs fill them one after the other, so wait until every table the answers read holds every event.
      const sources = [
        { table: "dws_event_activity_hourly", granularity: Granularity.GRANULARITY_HOUR },
        { table: "ods_events", granularity: Granularity.GRANULARITY_DAY },
      ];
      for (;;) {
        const held: string[] = [];
        let all = true;
        for (const s of sources) {
          const { counts } = await compute.countEvents(CountEventsRequest.fromPartial({ range: { start, end }, granularity: s.granularity }));
          const have = counts.reduce((n, c) => n + c.count, 0);
          held.push(`${s.table} holds ${have}`);
          all &&= have >= acceptedIds;
        }
        if (all) return;
        if (Date.now() > deadline) throw new Error(`after ${o.waitSeconds}s of ${acceptedIds} accepted events ${held.join(", ")}; see \`npx trackway jobs list\` and .trackway/logs`);
        await new Promise((r) => setTimeout(r, 2000));
      }
    });
    const answers = await timed("query: counts per hour, unique users, funnel", () => readAnswers(compute, start, end, sent.rejected));
    const rejectionExamples = Object.fromEntries(sent.rejected.map((r) => [r.reason, r.message]));
    return { tenant, answers, sent, planned, rejectionExamples, timings };
  } finally {
    compute.close();
    operator.close();
  }
}
