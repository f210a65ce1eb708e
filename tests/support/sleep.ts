import { setTimeout as sleep } from "node:timers/promises";

/** Resolves after `ms` milliseconds (Node's own timer promise). */
export { sleep };

/**
 * Calls `check` every `intervalMs` until it returns something other than undefined, and returns that; throws
 * `what` with the time waited once `timeoutMs` passes.
 */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}
