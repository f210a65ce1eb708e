/** Options of TenantLimiter's fair share. */
export interface FairShareOptions {
  /** Statements a tenant may run at once while another tenant is active (the rest are preempted). @default maxPerTenant (off) */
  sharedMax?: number;
  /** A tenant counts as active while it runs a statement and this long after its last one ended, ms. @default 10000 */
  windowMs?: number;
  /** The clock, ms. @default Date.now */
  now?: () => number;
}

/** A taken slot: call it to release the slot (idempotent); `preempted` aborts when another tenant needs the capacity. */
export type Ticket = (() => void) & { readonly preempted: AbortSignal };

/** How long a statement may wait for one of its tenant's slots, and how many may wait. */
export interface QueueOptions {
  /** Longest wait for a slot, ms (0: refuse at once). */
  maxWaitMs: number;
  /** Statements of one tenant that may wait at once; one more is refused at once. */
  maxWaiting: number;
  /** Aborting it (the caller went away) takes the statement out of the queue. */
  signal?: AbortSignal;
}

/** Why acquire gave up: the tenant's queue was full, the wait ran out, or the caller went away. */
export class QueueRefusal extends Error {
  override name = "QueueRefusal";
  constructor(
    readonly why: "full" | "timeout" | "aborted",
    /** The tenant's cap when it gave up. */
    readonly cap: number,
    /** Whether that cap was the fair share (another tenant active) rather than the full cap. */
    readonly shared: boolean,
    readonly waitedMs: number,
  ) {
    super(`no statement slot of the tenant (${why})`);
  }
}

interface Waiter {
  tenant: string;
  since: number;
  grant: (t: Ticket) => void;
  fail: (why: "timeout" | "aborted") => void;
}

/**
 * Counts each tenant's running statements against a cap, so that one tenant cannot take every Flink slot, and shares
 * the cluster fairly under contention: while another tenant is active, a tenant may run only `sharedMax` statements,
 * and when a tenant starts one, the newest statements of tenants above that share are preempted (their `preempted`
 * signal aborts; the gateway cancels their jobs). Slots cannot stop a job from taking CPU: on a small machine the
 * number of running jobs is what decides another tenant's latency.
 */
export class TenantLimiter {
  private readonly running = new Map<string, AbortController[]>();
  /** Statements waiting for a slot, oldest first. */
  private readonly waiting: Waiter[] = [];
  private wake: NodeJS.Timeout | undefined;
  private readonly lastEnded = new Map<string, number>();
  private readonly sharedMax: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  /** Statements preempted so far. */
  preemptions = 0;

  constructor(
    readonly maxPerTenant: number,
    options: FairShareOptions = {},
  ) {
    this.sharedMax = Math.min(options.sharedMax ?? maxPerTenant, maxPerTenant);
    this.windowMs = options.windowMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Takes one of the tenant's slots; returns its ticket, or undefined when none is free (the cap, or the fair share under contention). */
  tryAcquire(tenant: string): Ticket | undefined {
    const list = this.running.get(tenant) ?? [];
    if (list.length >= this.capOf(tenant)) return undefined;
    const abort = new AbortController();
    list.push(abort);
    this.running.set(tenant, list);
    this.preemptAbove(tenant);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.running.get(tenant) ?? []).filter((a) => a !== abort);
      if (left.length === 0) this.running.delete(tenant);
      else this.running.set(tenant, left);
      this.lastEnded.set(tenant, this.now());
      this.pump();
    };
    return Object.assign(release, { preempted: abort.signal });
  }

  /**
   * Takes one of the tenant's slots, waiting for one in a FIFO queue of the tenant's statements when none is free:
   * a slot frees when one of its statements ends, or when the other tenants have been idle for the contention
   * window (its full cap returns). Rejects with a QueueRefusal when `maxWaiting` statements already wait, after
   * `maxWaitMs`, or when `signal` aborts (the statement leaves the queue).
   */
  acquire(tenant: string, q: QueueOptions): Promise<Ticket> {
    const refusal = (why: QueueRefusal["why"], since: number) => {
      const cap = this.capOf(tenant);
      return new QueueRefusal(why, cap, cap < this.maxPerTenant, this.now() - since);
    };
    const since = this.now();
    if (q.signal?.aborted) return Promise.reject(refusal("aborted", since));
    if (!this.waiting.some((w) => w.tenant === tenant)) {
      const ticket = this.tryAcquire(tenant);
      if (ticket) return Promise.resolve(ticket);
    }
    if (q.maxWaitMs <= 0 || this.waitingOf(tenant) >= q.maxWaiting) return Promise.reject(refusal("full", since));
    return new Promise<Ticket>((resolve, reject) => {
      const leave = () => {
        clearTimeout(timer);
        q.signal?.removeEventListener("abort", onAbort);
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
      };
      const waiter: Waiter = {
        tenant,
        since,
        grant: (t) => {
          leave();
          resolve(t);
        },
        fail: (why) => {
          leave();
          reject(refusal(why, since));
          // Its place may have held back the next statement of the tenant.
          this.pump();
        },
      };
      const onAbort = () => waiter.fail("aborted");
      const timer = setTimeout(() => waiter.fail("timeout"), q.maxWaitMs);
      timer.unref?.();
      q.signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(waiter);
      this.pump();
    });
  }

  /** How many statements of the tenant wait for a slot. */
  waitingOf(tenant: string): number {
    return this.waiting.filter((w) => w.tenant === tenant).length;
  }

  /** Gives free slots to the oldest waiters, each tenant in order; wakes itself when a contention window ends. */
  private pump(): void {
    clearTimeout(this.wake);
    this.wake = undefined;
    const blocked = new Set<string>();
    for (const w of [...this.waiting]) {
      if (blocked.has(w.tenant)) continue;
      const ticket = this.tryAcquire(w.tenant);
      if (ticket) w.grant(ticket);
      else blocked.add(w.tenant);
    }
    if (this.waiting.length === 0) return;
    // A waiter held back by the fair share gets its full cap once the other tenants' windows end (a statement
    // ending pumps by itself, so only windows still open need a timer).
    const now = this.now();
    const ends = [...this.lastEnded.values()].map((at) => at + this.windowMs).filter((end) => end > now);
    if (ends.length === 0) return;
    this.wake = setTimeout(() => this.pump(), Math.min(...ends) - now + 1);
    this.wake.unref?.();
  }

  /** How many statements the tenant runs now. */
  runningOf(tenant: string): number {
    return this.running.get(tenant)?.length ?? 0;
  }

  /** The tenant's cap now: the full cap alone, its fair share while another tenant is active. */
  capOf(tenant: string): number {
    return this.othersActive(tenant) ? this.sharedMax : this.maxPerTenant;
  }

  private othersActive(tenant: string): boolean {
    for (const t of this.running.keys()) if (t !== tenant) return true;
    const since = this.now() - this.windowMs;
    for (const [t, at] of this.lastEnded) {
      if (at < since) this.lastEnded.delete(t);
      else if (t !== tenant) return true;
    }
    return false;
  }

  /** Preempts the newest statements of every other tenant running more than its fair share. */
  private preemptAbove(tenant: string): void {
    if (this.sharedMax >= this.maxPerTenant) return;
    for (const [t, list] of this.running) {
      if (t === tenant) continue;
      const live = list.filter((a) => !a.signal.aborted);
      for (const a of live.slice(this.sharedMax)) {
        a.abort();
        this.preemptions++;
      }
    }
  }
}
