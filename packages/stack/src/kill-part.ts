import { loadStackConfig } from "./config.js";
import { StackError } from "./errors.js";
import { stackPaths } from "./paths.js";
import { isAlive, readPid } from "./process.js";

/**
 * Kills one locally started part of the stack (for example `kafka`) with SIGKILL, as a crash would, and waits
 * until it is gone; `ensureStack()` then starts it again. For fault-injection tests; returns the killed pid.
 */
export async function killPart(name: string, options: { env?: NodeJS.ProcessEnv; signal?: NodeJS.Signals } = {}): Promise<number> {
  const config = loadStackConfig(options.env);
  const record = await readPid(stackPaths(config.stateDir).run, name);
  if (!record || !isAlive(record)) throw new StackError("PART_NOT_RUNNING", `${name} is not running from ${config.stateDir}; nothing to kill`);
  process.kill(record.pid, options.signal ?? "SIGKILL");
  for (let i = 0; i < 200 && isAlive(record); i++) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(record)) throw new StackError("KILL_FAILED", `${name} (pid ${record.pid}) is still alive 10 s after ${options.signal ?? "SIGKILL"}`);
  return record.pid;
}
