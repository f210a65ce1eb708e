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

/**
 * Counts each tenant's running statements against a cap, so that one tenant cannot take every Flink slot, and shares
 * the cluster fairly under contention: while another tenant is active, a tenant may run only `sharedMax` statements,
 * and when a tenant starts one, the newest statements of tenants above that share are preempted (their `preempted`
 * signal aborts; the gateway cancels their jobs). Slots cannot stop a job from taking CPU: on a small machine the
 * number of running jobs is what decides another tenant's latency.
 */
export class TenantLimiter {
  private readonly running = new Map<string, AbortController[]>();
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
    };
    return Object.assign(release, { preempted: abort.signal });
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
