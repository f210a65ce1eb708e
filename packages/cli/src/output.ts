import { cliEnv } from "./env.js";

/** Whether progress may redraw lines (a terminal) or must print plain lines (a pipe, a CI log). */
export const interactive = Boolean(process.stderr.isTTY) && !cliEnv.CI;

/** Prints one line for people on stderr, keeping stdout for results. */
export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Runs a long step, showing it as in progress and then its duration; the step's error propagates. */
export async function step<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  if (interactive) process.stderr.write(`… ${label}`);
  else note(`… ${label}`);
  try {
    const result = await fn();
    const took = `${((Date.now() - started) / 1000).toFixed(1)}s`;
    if (interactive) process.stderr.write(`\r✓ ${label} (${took})\n`);
    else note(`✓ ${label} (${took})`);
    return result;
  } catch (e) {
    if (interactive) process.stderr.write(`\r✗ ${label}\n`);
    else note(`✗ ${label}`);
    throw e;
  }
}

/** Whether `e` is a failed gRPC call (a status code and the server's message). */
function isRpcFailure(e: unknown): e is { details: string; code: number; metadata?: { get(k: string): unknown[] } } {
  const se = e as { details?: unknown; code?: unknown };
  return typeof se?.code === "number" && typeof se.details === "string";
}

/** One line for people from a failure: a failed gRPC call shows the server's message and its reason code. */
export function describeError(e: unknown): string {
  if (isRpcFailure(e)) {
    const reason = e.metadata?.get("trackway-reason")[0];
    return `${e.details}${reason ? ` [${String(reason)}]` : ""}`;
  }
  return e instanceof Error ? e.message : String(e);
}

/** A failed gRPC call to `where` as one Error line (message, reason, server); any other error unchanged. */
export function rpcFailure(e: unknown, where: string): unknown {
  return isRpcFailure(e) ? new Error(`${describeError(e)} (${where})`, { cause: e }) : e;
}

/** Runs `fn` with `client` and closes it after; with `where`, a failed gRPC call becomes one line naming it (see rpcFailure). */
export async function withClient<C extends { close(): void }, T>(client: C, fn: (c: C) => Promise<T>, where?: string): Promise<T> {
  try {
    return await fn(client);
  } catch (e) {
    throw where === undefined ? e : rpcFailure(e, where);
  } finally {
    client.close();
  }
}
