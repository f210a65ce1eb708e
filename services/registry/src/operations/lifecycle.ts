import { withTransaction } from "@trackway/db";
import { canMoveLifecycle, type LifecycleState } from "../core/lifecycle.js";
import { lifecycleInvalid, subjectNotFound, versionNotFound } from "../errors.js";
import { appendAudit } from "../store/audit.js";
import { RegistryReads } from "../store/reads.js";
import type { VersionRecord } from "../store/types.js";
import { setLifecycle as writeLifecycle } from "../store/writes.js";
import type { RegistryDeps } from "./deps.js";

/**
 * Moves one version (or, with version 0, every live version) of a subject to a lifecycle state. Only forward
 * moves are allowed (active → deprecated → disabled); with version 0, versions already further along stay
 * as they are. Each changed version gets a SET_LIFECYCLE audit entry. Returns the subject's live versions after.
 */
export async function setLifecycle(
  deps: RegistryDeps,
  subject: string,
  version: number,
  state: LifecycleState,
  actor: string,
): Promise<VersionRecord[]> {
  return withTransaction(deps.pool, async (tx) => {
    const reads = new RegistryReads(tx);
    if (!(await reads.subject(subject, true))) throw subjectNotFound(subject);
    const heads = await reads.heads(subject);
    let targets = heads;
    if (version !== 0) {
      targets = heads.filter((h) => h.version === version);
      if (targets.length === 0) throw versionNotFound(subject, version);
      const from = targets[0]!.lifecycle;
      if (!canMoveLifecycle(from, state)) {
        throw lifecycleInvalid(`${subject} version ${version} is ${from}; a lifecycle only moves forward (ACTIVE → DEPRECATED → DISABLED)`);
      }
    } else {
      targets = heads.filter((h) => canMoveLifecycle(h.lifecycle, state));
    }
    const changed = targets.filter((h) => h.lifecycle !== state);
    if (changed.length > 0) {
      await writeLifecycle(tx, subject, changed.map((h) => h.version), state);
      await appendAudit(
        tx,
        changed.map((h) => ({ subject, version: h.version, action: "SET_LIFECYCLE" as const, actor, before: { lifecycle: h.lifecycle }, after: { lifecycle: state } })),
      );
    }
    return reads.versions(subject, heads.map((h) => h.version));
  });
}
