import { randomUUID } from "node:crypto";
import { QueueRefusal, type TenantLimiter, type Ticket } from "../core/tenant-limiter.js";
import { clusterBusy, clusterSlotsReserved, queryCancelled, queryPreempted, queryTimeout, tenantQueryLimit } from "../errors.js";
import type { FlinkRestClient, LosslessValue } from "@trackway/flink";
import { GatewayFailure, runStatement, type ResultColumn, type StatementEvent } from "../store/statement-runner.js";
import { SlotWaitEnded, type SlotGate } from "../store/slot-gate.js";
import type { TenantSession, TenantSessions } from "../store/tenant-sessions.js";

/** What running tenant statements needs. */
export interface QueryDeps {
  sessions: TenantSessions;
  flink: FlinkRestClient;
  /** Caps each tenant's concurrent statements (absent: no cap). */
  limiter?: TenantLimiter;
  /** Flink parallelism of each statement's job. */
  parallelism?: number;
  /** Task slots a tenant that already runs a statement must leave free for the others when it starts another. */
  reservedSlots?: number;
  /** How long (ms) and how many of a tenant's statements may wait for one of its slots (absent: refused at once). */
  queue?: { maxWaitMs: number; maxWaiting: number };
  /** Admits query jobs only while the warehouse jobs keep the slots they need (absent: no such check). */
  slots?: SlotGate;
}

/** Limits of one statement. */
export interface QueryLimits {
  maxRows: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The statement starts no Flink job (DESCRIBE, SHOW), so it needs no task slot. */
  jobless?: boolean;
}

/** The Flink job name of a tenant's query: unique, and saying whose it is in Flink's job list. */
export const queryJobName = (tenant: string, queryId: string) => `trackway-query:${tenant}:${queryId}`;

/**
 * Runs a statement in the tenant's session and yields its result. `prepare` sees the session first (the guard
 * checks the statement against the session's views there). When the gateway lost the session before any result
 * came back, the session is reopened and the statement run once more.
 */
export async function* tenantStatement(
  deps: QueryDeps,
  tenant: string,
  prepare: (s: TenantSession) => string | Promise<string>,
  limits: QueryLimits,
  queryId: string = randomUUID(),
): AsyncGenerator<StatementEvent> {
  const ticket = deps.limiter ? await slotOf(deps.limiter, tenant, deps.queue, limits.signal) : undefined;
  const release = ticket ?? (() => undefined);
  let leave: (() => void) | undefined;
  try {
    // Streaming jobs keep the slots they need: a query job starts only when enough stay free, else it waits. A second
    // statement of the same tenant also leaves the cluster's last free slots (reservedSlots) to other tenants.
    const forOthers = deps.limiter && deps.reservedSlots && deps.limiter.runningOf(tenant) > 1 ? deps.reservedSlots : 0;
    leave = deps.slots && !limits.jobless ? await slotFor(deps.slots, queryJobName(tenant, queryId), limits.signal, forOthers) : undefined;
    // Preemption (another tenant needs the capacity) ends the statement like a cancel, then says why.
    const signal = ticket ? (limits.signal ? AbortSignal.any([limits.signal, ticket.preempted]) : ticket.preempted) : limits.signal;
    let ended = false;
    for await (const event of attempts(deps, tenant, prepare, { ...limits, signal }, queryId)) {
      if (event.type === "end") ended = true;
      yield event;
    }
    if (!ended && ticket?.preempted.aborted && !limits.signal?.aborted) throw queryPreempted();
  } finally {
    leave?.();
    release();
  }
}

/** One of the tenant's statement slots, waiting in its queue when none is free; TENANT_QUERY_LIMIT when none comes. */
async function slotOf(limiter: TenantLimiter, tenant: string, queue: QueryDeps["queue"], signal: AbortSignal | undefined): Promise<Ticket> {
  try {
    return await limiter.acquire(tenant, { maxWaitMs: queue?.maxWaitMs ?? 0, maxWaiting: queue?.maxWaiting ?? 0, signal });
  } catch (e) {
    if (!(e instanceof QueueRefusal)) throw e;
    if (e.why === "aborted") throw queryCancelled();
    throw tenantQueryLimit(e.cap, e.shared, e.why === "timeout" ? e.waitedMs : undefined);
  }
}

/**
 * Admission of a query job by the slot gate; CLUSTER_BUSY when no slot came free within the wait, TENANT_QUERY_LIMIT
 * when only the slots kept for other tenants (`forOthers`) stood in the way.
 */
async function slotFor(gate: SlotGate, jobName: string, signal: AbortSignal | undefined, forOthers: number): Promise<() => void> {
  const started = Date.now();
  try {
    return await gate.enter(jobName, signal, forOthers);
  } catch (e) {
    if (!(e instanceof SlotWaitEnded)) throw e;
    if (e.why === "aborted") throw queryCancelled();
    if (e.heldForOthers) throw clusterBusy(forOthers);
    throw clusterSlotsReserved(e.view?.slotsAvailable, e.view?.waitingJobsNeed, gate.reserve, Date.now() - started);
  }
}

async function* attempts(
  deps: QueryDeps,
  tenant: string,
  prepare: (s: TenantSession) => string | Promise<string>,
  limits: QueryLimits,
  queryId: string,
): AsyncGenerator<StatementEvent> {
  for (let attempt = 0; ; attempt++) {
    const session = await deps.sessions.acquire(tenant);
    let yielded = false;
    try {
      const sql = await prepare(session);
      for await (const event of runStatement(session.session, deps.flink, sql, {
        ...limits,
        parallelism: deps.parallelism,
        jobName: queryJobName(tenant, queryId),
        onTimeout: (ms) => queryTimeout(ms),
      })) {
        yielded = true;
        yield event;
      }
      return;
    } catch (e) {
      if (yielded || attempt > 0 || !(e instanceof GatewayFailure && e.kind === "session-lost")) throw e;
      deps.sessions.invalidate(session);
    }
  }
}

/** Runs a statement to its end and returns its columns and rows (structured queries, catalog). */
export async function collect(
  deps: QueryDeps,
  tenant: string,
  prepare: (s: TenantSession) => string | Promise<string>,
  limits: QueryLimits,
): Promise<{ columns: ResultColumn[]; rows: LosslessValue[][]; truncated: boolean }> {
  let columns: ResultColumn[] = [];
  const rows: LosslessValue[][] = [];
  let truncated = false;
  for await (const e of tenantStatement(deps, tenant, prepare, limits)) {
    if (e.type === "columns") columns = e.columns;
    else if (e.type === "rows") rows.push(...e.rows);
    else truncated = e.truncated;
  }
  return { columns, rows, truncated };
}

/** An AbortSignal that fires when a unary call is cancelled by its client (or its deadline passes). */
export function callSignal(call: { on(event: "cancelled", fn: () => void): unknown }): AbortSignal {
  const abort = new AbortController();
  call.on("cancelled", () => abort.abort(new Error("call cancelled by the client")));
  return abort.signal;
}
