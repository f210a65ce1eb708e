/** Counts each tenant's running statements against a cap, so that one tenant cannot take every Flink slot. */
export class TenantLimiter {
  private readonly running = new Map<string, number>();

  constructor(readonly maxPerTenant: number) {}

  /** Takes one of the tenant's slots; returns its release function (idempotent), or undefined when none is free. */
  tryAcquire(tenant: string): (() => void) | undefined {
    const n = this.running.get(tenant) ?? 0;
    if (n >= this.maxPerTenant) return undefined;
    this.running.set(tenant, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.running.get(tenant) ?? 1) - 1;
      if (left <= 0) this.running.delete(tenant);
      else this.running.set(tenant, left);
    };
  }

  /** How many statements the tenant runs now. */
  runningOf(tenant: string): number {
    return this.running.get(tenant) ?? 0;
  }
}
