import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { loadStackConfig, type StackConfig } from "./config.js";
import { StackError } from "./errors.js";
import { withLock } from "./lock.js";
import { allParts } from "./parts.js";
import type { Part } from "./part.js";
import { serviceParts } from "./services.js";
import { readPid, removePid, stopProcess } from "./process.js";
import { quietProgress, streamProgress, type Progress } from "./progress.js";
import { findProcesses } from "./scan.js";
import { stackContext } from "./up.js";

/** Options of `down`. */
export interface DownOptions {
  /** Also delete the whole state dir (data, logs, jars). @default false */
  purge?: boolean;
  config?: StackConfig;
  env?: NodeJS.ProcessEnv;
  progress?: Progress | "quiet";
  /** The parts to stop, in start order (stopped in reverse). @default the engines and the services */
  parts?: Part[];
}

/** What `down` stopped, which parts needed SIGKILL, and whether the state dir was removed. */
export interface DownResult {
  stopped: string[];
  killed: string[];
  purged: boolean;
}

/** Command-line fragments that identify this state dir's processes (see `markerOf` and Postgres' data dir). */
export const stackNeedles = (root: string, postgresData: string) => [`-Dtrackway.stack=${root}#`, `-D ${postgresData} `];

/**
 * Stops every local part in reverse start order (SIGTERM, SIGINT for Postgres; SIGKILL after 30 s), then
 * checks that no process of this stack is left; `purge` removes the state dir.
 */
export async function down(options: DownOptions = {}): Promise<DownResult> {
  const config = options.config ?? loadStackConfig(options.env);
  const progress = options.progress === "quiet" ? quietProgress : (options.progress ?? streamProgress());
  const ctx = stackContext(config);
  const result: DownResult = { stopped: [], killed: [], purged: false };
  const stopAll = async () => {
    for (const part of [...(options.parts ?? [...allParts, ...serviceParts])].reverse()) {
      const record = await readPid(ctx.paths.run, part.name);
      if (!record) continue;
      await progress.step(`stop ${part.label}`, async () => {
        if (await stopProcess(record, part.stopSignal ?? "SIGTERM")) result.killed.push(part.name);
        result.stopped.push(part.name);
        await removePid(ctx.paths.run, part.name);
      });
    }
    // Stopping only some parts (the services): the others must live on, so no sweep.
    if (options.parts) return;
    // Whatever a lost pid file hid: stop it too, then check nothing is left.
    const needles = stackNeedles(ctx.paths.root, ctx.paths.postgresData);
    for (const stray of findProcesses(needles)) {
      await stopProcess({ pid: stray.pid, marker: "", startedAt: "" }, "SIGTERM", 10_000);
      result.killed.push(`pid ${stray.pid}`);
    }
    const left = findProcesses(needles);
    if (left.length > 0) {
      throw new StackError("STOP_FAILED", `processes still running after down: ${left.map((p) => p.pid).join(", ")}; kill them by pid`);
    }
  };
  if (existsSync(ctx.paths.root)) await withLock(ctx.paths.lock, 120_000, stopAll);
  if (options.purge && existsSync(ctx.paths.root)) {
    await rm(ctx.paths.root, { recursive: true, force: true });
    result.purged = true;
  }
  progress.info(
    `stack down: ${result.stopped.length ? `stopped ${result.stopped.join(", ")}` : "nothing was running"}` +
      `${result.killed.length ? ` (killed: ${result.killed.join(", ")})` : ""}; no process left${result.purged ? `; removed ${ctx.paths.root}` : ""}`,
  );
  return result;
}
