import { loadStackConfig, type StackEndpoints } from "./config.js";
import { up } from "./up.js";

/** The addresses services and tests use: local stack defaults, or real clusters named in the environment. */
export function stackEndpoints(env: NodeJS.ProcessEnv = process.env): StackEndpoints {
  return loadStackConfig(env).endpoints;
}

/**
 * Brings the stack up if it is not (idempotent, safe from concurrent test processes) and returns its
 * endpoints; throws when it cannot come up, so a test calling it fails rather than skips.
 */
export async function ensureStack(options: { env?: NodeJS.ProcessEnv; verbose?: boolean } = {}): Promise<StackEndpoints> {
  const result = await up({ env: options.env, progress: options.verbose ? undefined : "quiet" });
  return result.endpoints;
}
