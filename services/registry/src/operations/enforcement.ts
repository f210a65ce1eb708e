import { withTransaction } from "@trackway/db";
import { effectiveEnforcement, type EnforcementMode } from "../core/enforcement.js";
import { subjectNotFound, versionNotFound } from "../errors.js";
import { appendAudit } from "../store/audit.js";
import { readEnforcement, writeEnforcement } from "../store/enforcement.js";
import { RegistryReads } from "../store/reads.js";
import type { Queryable } from "../store/types.js";
import type { RegistryDeps } from "./deps.js";

/** The enforcement in force for one version of a subject. */
export async function enforcementOf(db: Queryable, subject: string, version: number): Promise<EnforcementMode> {
  const set = await readEnforcement(db, subject, version);
  return effectiveEnforcement(set.version, set.subject);
}

/**
 * Sets (null: clears) the enforcement of a subject (version 0) or one version, audited as SET_ENFORCEMENT so
 * Watch tells ingest's cache to drop the subject. Returns the mode now in force there.
 */
export async function setEnforcement(deps: RegistryDeps, subject: string, version: number, mode: EnforcementMode | null, actor: string): Promise<EnforcementMode> {
  return withTransaction(deps.pool, async (tx) => {
    const reads = new RegistryReads(tx);
    if (!(await reads.subject(subject, true))) throw subjectNotFound(subject);
    if (version !== 0 && !(await reads.version(subject, version))) throw versionNotFound(subject, version);
    const before = await readEnforcement(tx, subject, version);
    await writeEnforcement(tx, subject, version, mode);
    await appendAudit(tx, [
      { subject, version, action: "SET_ENFORCEMENT", actor, before: { mode: (version === 0 ? before.subject : before.version) ?? null }, after: { mode } },
    ]);
    return version === 0 ? effectiveEnforcement(undefined, mode ?? undefined) : effectiveEnforcement(mode ?? undefined, before.subject);
  });
}
