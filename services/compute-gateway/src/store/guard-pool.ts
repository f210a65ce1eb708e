import { Worker } from "node:worker_threads";
import { Refusal, type RefusalReason } from "../core/refusal.js";
import type { CheckedStatement, GuardPolicy } from "../core/sql-guard.js";
import type { GuardAnswer, GuardRequest } from "./guard-worker.js";

const tsxApi = typeof import.meta.resolve === "function" ? import.meta.resolve("tsx/esm/api") : "tsx/esm/api";
const entry = new URL("./guard-worker.ts", import.meta.url).href;
const BOOT = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;

interface Job {
  tenant: string;
  req: GuardRequest;
  resolve: (r: CheckedStatement) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker?: Worker;
  ready?: Promise<void>;
  current?: { job: Job; timer?: NodeJS.Timeout };
}

/**
 * The read-only guard (a full grammar parse, whose time can grow with the square of the statement) in worker
 * threads. Each statement is bounded by `timeoutMs`: one that takes longer is refused (QUERY_TOO_COMPLEX) and its
 * worker replaced. A tenant has at most one statement in the workers at a time, so with two or more workers a
 * hostile tenant cannot delay another tenant's check by more than the other's own parse.
 */
export class GuardPool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    size: number,
    private readonly timeoutMs: number,
  ) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => ({}));
  }

  /** Starts the workers (each grammar warms up, about 1.5 s) ahead of the first statement. */
  async warmUp(): Promise<void> {
    for (const s of this.slots) this.spawn(s);
    await Promise.all(this.slots.map((s) => s.ready));
  }

  /** Checks a tenant's statement; resolves with its kind and tables or rejects with the guard's Refusal. */
  check(tenant: string, sql: string, policy: GuardPolicy): Promise<CheckedStatement> {
    if (this.closed) return Promise.reject(new Error("the guard is closed"));
    return new Promise((resolve, reject) => {
      const req = { id: this.nextId++, sql, tables: [...policy.tables], forbiddenNames: [...(policy.forbiddenNames ?? [])] };
      this.queue.push({ tenant, req, resolve, reject });
      this.pump();
    });
  }

  private spawn(slot: Slot): void {
    if (slot.worker) return;
    const w = new Worker(BOOT, { eval: true, name: "sql-guard" });
    w.unref();
    slot.worker = w;
    slot.ready = new Promise<void>((resolve) => {
      w.once("message", () => resolve());
      w.once("exit", () => resolve());
    });
    w.on("message", (a: GuardAnswer) => {
      const cur = slot.current;
      if (!cur || cur.job.req.id !== a.id) return;
      clearTimeout(cur.timer);
      slot.current = undefined;
      if (a.ok) cur.job.resolve({ kind: a.kind, tables: a.tables });
      else cur.job.reject(a.reason ? new Refusal(a.reason as RefusalReason, a.message) : new Error(a.message));
      this.pump();
    });
    w.on("error", () => undefined);
    w.on("exit", () => {
      if (slot.worker !== w) return;
      slot.worker = undefined;
      const cur = slot.current;
      slot.current = undefined;
      if (cur) clearTimeout(cur.timer);
      cur?.job.reject(new Error("the SQL guard worker stopped"));
      if (!this.closed) this.pump();
    });
  }

  /** Hands queued statements to idle workers, skipping tenants that already have one in a worker. */
  private pump(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (slot.current) continue;
      const busy = new Set(this.slots.flatMap((s) => (s.current ? [s.current.job.tenant] : [])));
      const at = this.queue.findIndex((j) => !busy.has(j.tenant));
      if (at < 0) return;
      const job = this.queue.splice(at, 1)[0]!;
      this.start(slot, job);
    }
  }

  private start(slot: Slot, job: Job): void {
    this.spawn(slot);
    const w = slot.worker!;
    slot.current = { job };
    void slot.ready!.then(() => {
      const cur = slot.current;
      if (cur?.job !== job || slot.worker !== w) return;
      // The bound runs from here: a fresh worker's warm-up is not the statement's fault.
      cur.timer = setTimeout(() => {
        if (slot.current?.job !== job) return;
        slot.current = undefined;
        job.reject(new Refusal("QUERY_TOO_COMPLEX", `the statement could not be checked within ${this.timeoutMs} ms; simplify it`));
        slot.worker = undefined;
        void w.terminate();
        this.pump();
      }, this.timeoutMs);
      w.postMessage(job.req);
    });
  }

  /** Stops the workers; queued statements are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.reject(new Error("the guard is closed"));
    await Promise.all(
      this.slots.map(async (s) => {
        if (s.current) {
          clearTimeout(s.current.timer);
          s.current.job.reject(new Error("the guard is closed"));
          s.current = undefined;
        }
        const w = s.worker;
        s.worker = undefined;
        await w?.terminate();
      }),
    );
  }
}
