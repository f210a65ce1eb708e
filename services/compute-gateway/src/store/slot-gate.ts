import { sleep, type FlinkRestClient } from "@trackway/flink";
import type { Logger } from "@trackway/runtime";
import { isQueryJob, queryMayStart, SCHEDULING_STATES, slotsOf, type SlotView } from "../core/slot-budget.js";

/** Options of SlotGate. */
export interface SlotGateOptions {
  /** Slots each query job takes (TRACKWAY_COMPUTE_QUERY_PARALLELISM). */
  parallelism: number;
  /** Slots kept free beyond what waiting warehouse jobs need (TRACKWAY_COMPUTE_JOB_SLOT_RESERVE). */
  reserve: number;
  /** Longest wait for slots, ms. */
  maxWaitMs: number;
  /** How often a waiting statement looks at the cluster again, ms. @default 500 */
  pollMs?: number;
  logger: Logger;
}

/**
 * Why the gate gave up: the wait ran out (with what held the slots), or the caller went away. `heldForOthers`: at
 * the last look only the entry's extra reserve (slots kept for other tenants) stood in the way.
 */
export class SlotWaitEnded extends Error {
  override name = "SlotWaitEnded";
  constructor(
    readonly why: "timeout" | "aborted",
    readonly view: SlotView | undefined,
    readonly heldForOthers = false,
  ) {
    super(`no task slots for the query (${why})`);
  }
}

/**
 * Admits tenant query jobs only while the cluster keeps the slots its warehouse jobs need: read from Flink's REST
 * `/overview` (free slots) and `/jobs/overview` (warehouse jobs waiting to be scheduled, whose slot needs come from
 * `/jobs/:id`), less a reserve and the query jobs admitted here and not running yet. Others wait, polling, up to
 * `maxWaitMs`. When Flink's REST API cannot be read, statements are admitted (the statement itself then reports Flink
 * unavailable): the gate protects streaming jobs from queries, it is not a reason to refuse them.
 */
export class SlotGate {
  /** Job names of admitted statements, until they end. */
  private readonly admitted = new Set<string>();
  private readonly pollMs: number;
  private cluster: { at: number; done: boolean; read: Promise<{ view: SlotView; placed: Set<string> }> } | undefined;

  constructor(
    private readonly flink: FlinkRestClient,
    private readonly o: SlotGateOptions,
  ) {
    this.pollMs = o.pollMs ?? 500;
  }

  /** The slots kept free beyond what waiting warehouse jobs need. */
  get reserve(): number {
    return this.o.reserve;
  }

  /**
   * Waits until a query job named `jobName` may start; returns the release to call when the statement ends.
   * `extraReserve` keeps that many more slots free for this entry (a tenant's second statement leaves the last
   * free slots to other tenants: TRACKWAY_COMPUTE_RESERVED_SLOTS).
   */
  async enter(jobName: string, signal?: AbortSignal, extraReserve = 0): Promise<() => void> {
    const started = Date.now();
    let view: SlotView | undefined;
    let heldForOthers = false;
    for (;;) {
      if (signal?.aborted) throw new SlotWaitEnded("aborted", view, heldForOthers);
      const seen = await this.look(view === undefined).catch((e: unknown) => {
        this.o.logger.debug("cluster slots not readable; query admitted", { err: (e as Error).message });
        return undefined;
      });
      const policy = { parallelism: this.o.parallelism, reserve: this.o.reserve, pending: seen?.pending ?? 0 };
      if (!seen || queryMayStart(seen.view, { ...policy, reserve: policy.reserve + extraReserve })) {
        this.admitted.add(jobName);
        return () => this.admitted.delete(jobName);
      }
      view = seen.view;
      heldForOthers = extraReserve > 0 && queryMayStart(seen.view, policy);
      if (Date.now() - started + this.pollMs > this.o.maxWaitMs) throw new SlotWaitEnded("timeout", view, heldForOthers);
      await sleep(this.pollMs, signal);
    }
  }

  /**
   * The cluster as Flink shows it, read about once per half poll interval however many statements wait; the
   * statements admitted here but not placed yet are counted on every look.
   */
  private async look(first: boolean): Promise<{ view: SlotView; pending: number }> {
    // A statement's first look shares only a read in flight; its later ones also a read done within half a poll.
    const maxAge = first ? 0 : this.pollMs / 2;
    if (!this.cluster || (this.cluster.done && Date.now() - this.cluster.at >= maxAge)) {
      const cluster = { at: Date.now(), done: false, read: this.readCluster() };
      this.cluster = cluster;
      cluster.read.then(
        () => void (cluster.done = true),
        () => void (this.cluster === cluster && (this.cluster = undefined)),
      );
    }
    const { view, placed } = await this.cluster.read;
    return { view, pending: [...this.admitted].filter((name) => !placed.has(name)).length };
  }

  private async readCluster(): Promise<{ view: SlotView; placed: Set<string> }> {
    const [overview, jobs] = await Promise.all([this.flink.clusterOverview(), this.flink.jobs()]);
    const waiting = jobs.filter((j) => !isQueryJob(j.name) && SCHEDULING_STATES.has(j.state));
    const needs = await Promise.all(waiting.map(async (j) => slotsOf((await this.flink.job(j.jid))?.vertices ?? [])));
    // A job Flink shows (in any state past scheduling) has its slots, or gave them back: only the others are pending.
    const placed = new Set(jobs.filter((j) => !SCHEDULING_STATES.has(j.state)).map((j) => j.name));
    return { view: { slotsAvailable: overview["slots-available"], waitingJobsNeed: needs.reduce((a, b) => a + b, 0) }, placed };
  }
}
