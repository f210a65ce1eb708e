import { withTransaction } from "@trackway/db";
import { referenceExists, subjectNotFound, subjectNotSoftDeleted, subjectSoftDeleted, versionNotFound, versionNotSoftDeleted, versionSoftDeleted } from "../errors.js";
import { appendAudit } from "../store/audit.js";
import { RegistryReads } from "../store/reads.js";
import { deleteSubject as removeSubject, hardDeleteVersions, softDeleteVersions } from "../store/writes.js";
import type { RegistryDeps } from "./deps.js";
import { assertWritable } from "./mode.js";
import type { VersionSelector } from "./read-versions.js";

/**
 * Deletes one version of a subject, Confluent style: soft (hidden from reads and compatibility checks, still
 * resolvable by schema id), or permanent, which needs a soft delete first. A version other versions import
 * cannot be deleted. Returns the version number; audited as DELETE_VERSION[_PERMANENT].
 */
export async function deleteVersion(deps: RegistryDeps, subject: string, selector: VersionSelector, permanent: boolean, actor: string): Promise<number> {
  return withTransaction(deps.pool, async (tx) => {
    const reads = new RegistryReads(tx);
    const s = await reads.subject(subject, true);
    if (!s || s.allVersions === 0) throw subjectNotFound(subject);
    await assertWritable(reads, subject);
    const heads = await reads.heads(subject, true);
    const live = heads.filter((h) => !h.deleted);
    const head =
      selector === "latest" ? (permanent ? heads : live).at(-1) : heads.find((h) => h.version === selector && (permanent || !h.deleted));
    if (!head) {
      const soft = typeof selector === "number" && heads.some((h) => h.version === selector && h.deleted);
      throw soft ? versionSoftDeleted(subject, selector) : versionNotFound(subject, selector);
    }
    if (permanent && !head.deleted) throw versionNotSoftDeleted(subject, head.version);
    const by = (await reads.referrers(subject, head.version)).filter((r) => r !== `${subject}@${head.version}`);
    if (by.length > 0) throw referenceExists(subject, head.version, by);
    if (permanent) await hardDeleteVersions(tx, subject, [head.version]);
    else await softDeleteVersions(tx, subject, [head.version]);
    await appendAudit(tx, [
      { subject, version: head.version, action: permanent ? "DELETE_VERSION_PERMANENT" : "DELETE_VERSION", actor, before: { schemaId: head.schemaId, deleted: head.deleted } },
    ]);
    return head.version;
  });
}

/**
 * Deletes a subject, Confluent style: soft marks every live version deleted; permanent (after a soft delete)
 * removes the subject and its versions. Returns the version numbers deleted; audited as DELETE_SUBJECT[_PERMANENT].
 */
export async function deleteSubject(deps: RegistryDeps, subject: string, permanent: boolean, actor: string): Promise<number[]> {
  return withTransaction(deps.pool, async (tx) => {
    const reads = new RegistryReads(tx);
    const s = await reads.subject(subject, true);
    if (!s) throw subjectNotFound(subject);
    await assertWritable(reads, subject);
    if (!permanent && s.liveVersions === 0) throw s.allVersions > 0 ? subjectSoftDeleted(subject) : subjectNotFound(subject);
    const heads = await reads.heads(subject, true);
    if (permanent && heads.some((h) => !h.deleted)) throw subjectNotSoftDeleted(subject);
    const targets = permanent ? heads : heads.filter((h) => !h.deleted);
    for (const h of targets) {
      const by = (await reads.referrers(subject, h.version)).filter((r) => !r.startsWith(`${subject}@`));
      if (by.length > 0) throw referenceExists(subject, h.version, by);
    }
    const versions = targets.map((h) => h.version);
    if (permanent) await removeSubject(tx, subject);
    else await softDeleteVersions(tx, subject, versions);
    await appendAudit(tx, [
      { subject, action: permanent ? "DELETE_SUBJECT_PERMANENT" : "DELETE_SUBJECT", actor, before: { versions: heads.map((h) => ({ version: h.version, deleted: h.deleted })) } },
    ]);
    return versions;
  });
}
