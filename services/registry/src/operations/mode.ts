import { withTransaction } from "@trackway/db";
import { subjectNameProblem } from "../core/subject-name.js";
import { isReadOnly, type WriteMode } from "../core/write-mode.js";
import { operationNotPermitted, subjectInvalid, subjectNotFound } from "../errors.js";
import { appendAudit } from "../store/audit.js";
import { RegistryReads } from "../store/reads.js";
import { ensureSubject, setGlobalMode, setSubjectMode } from "../store/writes.js";
import type { RegistryDeps } from "./deps.js";

/**
 * Sets the mode of a subject (created when new, as Confluent lets a mode be set before the first registration) or,
 * with an empty subject, the global mode; null removes a subject's own mode (the global one resets to READWRITE).
 * Switching to IMPORT needs `force` while live versions exist in the scope (Confluent's "Cannot import since found
 * existing subjects"). Returns the mode set before; audited as SET_MODE.
 */
export async function setMode(
  deps: RegistryDeps,
  subject: string,
  mode: WriteMode | null,
  force: boolean,
  actor: string,
): Promise<WriteMode | undefined> {
  if (subject) {
    const problem = subjectNameProblem(subject);
    if (problem) throw subjectInvalid(problem);
  }
  return withTransaction(deps.pool, async (tx) => {
    const reads = new RegistryReads(tx);
    const before = subject ? await reads.subjectMode(subject) : await reads.globalMode();
    if (mode === "IMPORT" && !force && (await reads.modeInScope(subject)) !== "IMPORT" && (await reads.hasLiveVersions(subject))) {
      throw operationNotPermitted("Cannot import since found existing subjects");
    }
    if (!subject) await setGlobalMode(tx, mode ?? "READWRITE");
    else {
      if (mode === null && before === undefined) throw subjectNotFound(subject);
      await ensureSubject(tx, subject);
      await setSubjectMode(tx, subject, mode);
    }
    await appendAudit(tx, [{ subject, action: "SET_MODE", actor, before: { mode: before ?? null }, after: { mode: mode ?? null } }]);
    return before;
  });
}

/** Refuses a change (delete, compatibility setting) while the subject's mode, or the global one, is read-only. */
export async function assertWritable(reads: RegistryReads, subject: string): Promise<void> {
  const mode = subject ? await reads.modeInScope(subject) : await reads.globalMode();
  if (isReadOnly(mode)) throw operationNotPermitted(`Subject ${subject || "(global)"} in context . is in read-only mode`);
}
