import { withTransaction } from "@trackway/db";
import { typedViewName } from "@trackway/envelope";
import { versionsToCompare, type Mode } from "../core/modes.js";
import { registerRefusal } from "../core/write-mode.js";
import { operationNotPermitted, SchemaIncompatibleError, viewNameCollision } from "../errors.js";
import { appendAudit } from "../store/audit.js";
import { RegistryReads } from "../store/reads.js";
import type { VersionRecord } from "../store/types.js";
import { ensureSubject, fingerprintOfId, insertSchemaWithId, insertVersion, upsertSchema } from "../store/writes.js";
import type { RegistryDeps } from "./deps.js";
import { CompiledCache } from "./compiled-cache.js";
import { loadCompiled } from "./load-compiled.js";
import { prepareCandidate, type Candidate, type CandidateInput } from "./prepare-candidate.js";

/** A registration request. */
export interface RegisterInput extends CandidateInput {
  author: string;
  /** Check and compute everything, write nothing. */
  dryRun?: boolean;
  /** IMPORT mode: the global id the schema must get (Confluent's `id` in the register body). */
  id?: number;
  /** IMPORT mode: the version number it must get. */
  version?: number;
}

/** What a registration did. */
export interface RegisterResult {
  /** The new version, the existing one with the same schema, or (dry run) the would-be version (schemaId 0 when the schema is new). */
  version: VersionRecord;
  /** False when the same schema was already registered under the subject. */
  created: boolean;
  /** The mode that was applied. */
  mode: Mode;
}

/**
 * Registers a schema under a subject. Compiling happens before any lock; then, in one transaction holding the
 * subject's row lock (so concurrent registrations of one subject queue up), it returns the existing version
 * of an identical schema, or checks compatibility against the versions the mode names, takes the global id
 * of the schema (new or shared) and inserts version last+1 with its audit entry. A failure writes nothing.
 */
export async function registerSchema(deps: RegistryDeps, input: RegisterInput): Promise<RegisterResult> {
  const candidate = await prepareCandidate(deps, input);
  if (input.dryRun) return decide(deps, new RegistryReads(deps.pool), candidate, input, false);
  return withTransaction(deps.pool, async (tx) => {
    const reads = new RegistryReads(tx);
    // Registrations of new subjects that map to one typed view name queue up, so two cannot both pass the check.
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`typed-view:${typedViewName(candidate.subject)}`]);
    await ensureSubject(tx, candidate.subject);
    return decide(deps, reads, candidate, input, true, tx);
  });
}

async function decide(
  deps: RegistryDeps,
  reads: RegistryReads,
  c: Candidate,
  input: RegisterInput,
  write: boolean,
  tx?: Parameters<typeof appendAudit>[0],
): Promise<RegisterResult> {
  const subject = await reads.subject(c.subject, write);
  const mode = subject?.compatibility ?? (await reads.globalCompatibility());
  const importing = input.id !== undefined;
  const existingId = await reads.schemaIdByFingerprint(c.fingerprint);
  // A schema the subject has already is answered in any mode (so a restart in READONLY still finds the envelope).
  if (existingId !== undefined && (!importing || existingId === input.id)) {
    const same = await reads.liveVersionWithSchema(c.subject, existingId);
    if (same && (input.version === undefined || same.version === input.version)) return { version: same, created: false, mode };
  }
  const refusal = registerRefusal(c.subject, await reads.modeInScope(c.subject), importing);
  if (refusal) throw operationNotPermitted(refusal);
  if (!subject || subject.liveVersions === 0) await refuseViewNameCollision(reads, c.subject);

  // IMPORT copies schemas as they are elsewhere: no compatibility check, as in Confluent.
  if (!importing) {
    const heads = subject ? await reads.heads(c.subject) : [];
    const history = await loadCompiled(reads, deps.compiled, c.subject, versionsToCompare(mode, heads));
    const verdict = deps.check(mode, history, c.compiled);
    if (!verdict.compatible) throw new SchemaIncompatibleError(c.subject, verdict.violations);
  } else if (existingId !== undefined && existingId !== input.id) {
    throw operationNotPermitted(`the same schema is registered with id ${existingId}; it cannot get id ${input.id} too`);
  }

  const next = input.version ?? (subject?.lastVersion ?? 0) + 1;
  if (input.version !== undefined && (await reads.version(c.subject, input.version, true))) {
    throw operationNotPermitted(`Subject ${c.subject} already has a version ${input.version}`);
  }
  const record: VersionRecord = {
    subject: c.subject,
    version: next,
    schemaId: existingId ?? 0,
    fileName: c.compiled.fileName,
    messageName: c.compiled.messageName,
    lifecycle: "ACTIVE",
    deleted: false,
    descriptorBytes: c.compiled.descriptorSet.length,
    protoSource: c.protoSource,
    descriptorSet: c.compiled.descriptorSet,
    refs: c.refs,
    author: input.author,
    createdAt: new Date(),
  };
  if (!write || !tx) return { version: record, created: true, mode };

  const schemaRow = { fingerprint: c.fingerprint, protoSource: c.protoSource, messageName: c.compiled.messageName, refs: c.refs };
  if (input.id !== undefined && existingId === undefined) {
    const taken = await fingerprintOfId(tx, input.id);
    if (taken) throw operationNotPermitted(`Overwrite new schema with id ${input.id} is not permitted.`);
    await insertSchemaWithId(tx, input.id, schemaRow);
    record.schemaId = input.id;
  } else {
    record.schemaId = await upsertSchema(tx, schemaRow);
  }
  record.createdAt = await insertVersion(tx, record);
  await appendAudit(tx, [
    {
      subject: c.subject,
      version: next,
      action: "REGISTER",
      actor: input.author,
      after: { schemaId: record.schemaId, fileName: record.fileName, messageName: record.messageName, references: c.refs, mode },
    },
  ]);
  deps.compiled.set(CompiledCache.key(record.schemaId, record.fileName), c.compiled);
  return { version: record, created: true, mode };
}

/**
 * Refuses a subject (new, or with every version deleted) whose typed view name another subject with live versions
 * already has (finding 5): `a_b.c` and `a.b_c` both give `dwd_a_b_c`, and the compute gateway would serve only the
 * older one. Subjects that already have versions keep them; the gateway still gives such a view to the older subject.
 */
async function refuseViewNameCollision(reads: RegistryReads, subject: string): Promise<void> {
  const view = typedViewName(subject);
  const held = (await reads.subjects()).find((s) => s.name !== subject && s.liveVersions > 0 && typedViewName(s.name) === view);
  if (held) throw viewNameCollision(subject, view, held.name);
}
