import { Worker } from "node:worker_threads";
import { Refusal, type RefusalReason } from "../core/refusal.js";
import type { CheckedStatement, GuardPolicy } from "../core/sql-guard.js";
import type { GuardAnswer, GuardRequest } from "./guard-worker.js";

const tsxApi = typeof import.meta.resolve === "function" ? import.meta.resolve("tsx/esm/api") : "tsx/esm/api";
const entry = new URL("./guard-worker.ts", import.meta.url).href;
const BOOT = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;

interface Job {
  req: GuardRequest;
  resolve: (r: CheckedStatement) => void;
  reject: (e: unknown) => void;
}

/**
 * The read-only guard (a full grammar parse, whose time grows faster than the statement) in a worker thread, one
 * statement at a time, each bounded by `timeoutMs`: a statement that takes longer is refused (QUERY_TOO_COMPLEX)
 * and the worker replaced, so that no statement can hold up the gateway's event loop or other tenants for long.
 */
export class GuardPool {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private readonly queue: Job[] = [];
  private current: { job: Job; timer: NodeJS.Timeout } | undefined;
  private nextId = 1;
  private closed = false;

  constructor(private readonly timeoutMs: number) {}

  /** Starts the worker (its grammar warms up, about 1.5 s) ahead of the first statement. */
  warmUp(): Promise<void> {
    this.spawn();
    return this.ready!;
  }

  /** Checks a statement in the worker; resolves with its kind and tables or rejects with the guard's Refusal. */
  check(sql: string, policy: GuardPolicy): Promise<CheckedStatement> {
    if (this.closed) return Promise.reject(new Error("the guard is closed"));
    return new Promise((resolve, reject) => {
      const req = { id: this.nextId++, sql, tables: [...policy.tables], forbiddenNames: [...(policy.forbiddenNames ?? [])] };
      this.queue.push({ req, resolve, reject });
      void this.pump();
    });
  }

  private spawn(): void {
    if (this.worker) return;
    const w = new Worker(BOOT, { eval: true, name: "sql-guard" });
    w.unref();
    this.worker = w;
    this.ready = new Promise<void>((resolve) => {
      const first = () => resolve();
      w.once("message", first);
      w.once("exit", first);
    });
    w.on("message", (a: GuardAnswer) => {
      const cur = this.current;
      if (!cur || cur.job.req.id !== a.id) return;
      clearTimeout(cur.timer);
      this.current = undefined;
      if (a.ok) cur.job.resolve({ kind: a.kind, tables: a.tables });
      else cur.job.reject(a.reason ? new Refusal(a.reason as RefusalReason, a.message) : new Error(a.message));
      void this.pump();
    });
    w.on("error", () => undefined);
    w.on("exit", () => {
      if (this.worker !== w) return;
      this.worker = undefined;
      const cur = this.current;
      this.current = undefined;
      cur?.job.reject(new Error("the SQL guard worker stopped"));
      if (!this.closed) void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.current || this.queue.length === 0 || this.closed) return;
    this.spawn();
    const job = this.queue.shift()!;
    const timer = setTimeout(() => {
      if (this.current?.job !== job) return;
      this.current = undefined;
      job.reject(new Refusal("QUERY_TOO_COMPLEX", `the statement could not be checked within ${this.timeoutMs} ms; simplify it`));
      const w = this.worker;
      this.worker = undefined;
      void w?.terminate();
      void this.pump();
    }, this.timeoutMs + 0);
    this.current = { job, timer };
    await this.ready;
    // The timer runs from now on: a fresh worker's warm-up is not the statement's fault.
    timer.refresh();
    this.worker?.postMessage(job.req);
  }

  /** Stops the worker; queued statements are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.reject(new Error("the guard is closed"));
    if (this.current) {
      clearTimeout(this.current.timer);
      this.current.job.reject(new Error("the guard is closed"));
      this.current = undefined;
    }
    await this.worker?.terminate();
    this.worker = undefined;
  }
}
