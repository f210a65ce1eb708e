import { versionsToCompare } from "../core/modes.js";
import type { RegistryDeps } from "./deps.js";
import { loadCompiled } from "./load-compiled.js";

/**
 * Loads, in the background after startup, the descriptors registrations will compare with, so that the first
 * registration after a restart does not pay for loading a long FULL_TRANSITIVE history: every subject's
 * versions its mode names, smallest histories first, while they fit the cache's budget. Compatibility models
 * are built too (by checking each subject's latest version against its history). Returns what it loaded.
 */
export async function warmUp(deps: RegistryDeps, signal?: AbortSignal): Promise<{ subjects: number; versions: number; ms: number }> {
  const started = performance.now();
  const global = await deps.reads.globalCompatibility();
  const plans = [];
  for (const s of await deps.reads.subjects()) {
    if (s.liveVersions === 0) continue;
    const mode = s.compatibility ?? global;
    const heads = versionsToCompare(mode, await deps.reads.heads(s.name));
    plans.push({ subject: s.name, mode, heads, bytes: heads.reduce((n, h) => n + h.descriptorBytes, 0) });
  }
  plans.sort((a, b) => a.bytes - b.bytes);
  let budget = deps.compiled.budgetBytes;
  let subjects = 0;
  let versions = 0;
  for (const p of plans) {
    if (signal?.aborted || p.bytes > budget) break;
    budget -= p.bytes;
    const history = await loadCompiled(deps.reads, deps.compiled, p.subject, p.heads);
    const latest = history.at(-1);
    if (latest) deps.check(p.mode, history, latest.schema);
    subjects++;
    versions += history.length;
    // Let requests run between subjects: this is background work.
    await new Promise((r) => setImmediate(r));
  }
  return { subjects, versions, ms: Math.round(performance.now() - started) };
}
