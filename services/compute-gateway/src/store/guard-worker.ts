import { parentPort } from "node:worker_threads";
import { isRefusal } from "../core/refusal.js";
import { SqlGuard } from "../core/sql-guard.js";

/** A request to the guard worker. */
export interface GuardRequest {
  id: number;
  sql: string;
  tables: string[];
  forbiddenNames: string[];
}

/** The worker's answer: the checked statement, or the refusal (or failure) as plain data. */
export type GuardAnswer =
  | { id: number; ok: true; kind: "QUERY" | "SHOW" | "DESCRIBE" | "EXPLAIN"; tables: string[] }
  | { id: number; ok: false; reason?: string; message: string };

const guard = new SqlGuard();
guard.warmUp();
parentPort!.on("message", (req: GuardRequest) => {
  let answer: GuardAnswer;
  try {
    const r = guard.check(req.sql, { tables: new Set(req.tables), forbiddenNames: req.forbiddenNames });
    answer = { id: req.id, ok: true, kind: r.kind, tables: r.tables };
  } catch (e) {
    answer = { id: req.id, ok: false, reason: isRefusal(e) ? e.reason : undefined, message: (e as Error).message };
  }
  parentPort!.postMessage(answer);
});
parentPort!.postMessage({ id: 0, ok: true, kind: "QUERY", tables: [] } satisfies GuardAnswer);
