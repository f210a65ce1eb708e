import { withTransaction } from "@trackway/db";
import type { Mode } from "../core/modes.js";
import { subjectNameProblem } from "../core/subject-name.js";
import { subjectInvalid, subjectNotFound } from "../errors.js";
import { appendAudit } from "../store/audit.js";
import { RegistryReads } from "../store/reads.js";
import type { SubjectRecord } from "../store/types.js";
import { ensureSubject, setGlobalCompatibility, setSubjectCompatibility, updateSubjectMeta } from "../store/writes.js";
import type { RegistryDeps } from "./deps.js";
import { assertWritable } from "./mode.js";

/**
 * Sets a subject's own compatibility mode (null: follow the global default), creating the subject when it is
 * new (Confluent lets a mode be set before the first registration), or the global default when `subject` is
 * empty. Returns the previous setting and the mode now in force; audited as SET_COMPATIBILITY.
 */
export async function setCompatibility(
  deps: RegistryDeps,
  subject: string,
  mode: Mode | null,
  actor: string,
): Promise<{ previous: Mode | null; effective: Mode }> {
  if (subject) {
    const problem = subjectNameProblem(subject);
    if (problem) throw subjectInvalid(problem);
  }
  return withTransaction(deps.pool, async (tx) => {
    const reads = new RegistryReads(tx);
    await assertWritable(reads, subject);
    const global = await reads.globalCompatibility();
    if (!subject) {
      const next = mode ?? "BACKWARD";
      await setGlobalCompatibility(tx, next);
      await appendAudit(tx, [{ action: "SET_COMPATIBILITY", actor, before: { compatibility: global }, after: { compatibility: next } }]);
      return { previous: global, effective: next };
    }
    await ensureSubject(tx, subject);
    const before = (await reads.subject(subject, true))!;
    await setSubjectCompatibility(tx, subject, mode);
    await appendAudit(tx, [
      { subject, action: "SET_COMPATIBILITY", actor, before: { compatibility: before.compatibility }, after: { compatibility: mode } },
    ]);
    return { previous: before.compatibility, effective: mode ?? global };
  });
}

/** Sets a subject's description and owners (each left unchanged when not given); audited as UPDATE_SUBJECT. */
export async function updateSubject(
  deps: RegistryDeps,
  subject: string,
  change: { description?: string; owners?: string[] },
  actor: string,
): Promise<SubjectRecord> {
  return withTransaction(deps.pool, async (tx) => {
    const reads = new RegistryReads(tx);
    const before = await reads.subject(subject, true);
    if (!before) throw subjectNotFound(subject);
    const description = change.description || before.description;
    const owners = change.owners && change.owners.length > 0 ? [...new Set(change.owners.map((o) => o.trim()).filter(Boolean))] : before.owners;
    await updateSubjectMeta(tx, subject, description, owners);
    await appendAudit(tx, [
      {
        subject,
        action: "UPDATE_SUBJECT",
        actor,
        before: { description: before.description, owners: before.owners },
        after: { description, owners },
      },
    ]);
    return { ...before, description, owners };
  });
}
