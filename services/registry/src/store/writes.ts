import type { LifecycleState } from "../core/lifecycle.js";
import type { Mode } from "../core/modes.js";
import type { SchemaRef } from "../core/fingerprint.js";
import type { WriteMode } from "../core/write-mode.js";
import type { Queryable } from "./types.js";

/** Creates the subject row when it does not exist yet (a concurrent creator makes this wait, then do nothing). */
export async function ensureSubject(tx: Queryable, name: string): Promise<boolean> {
  const r = await tx.query("INSERT INTO registry_subjects (name) VALUES ($1) ON CONFLICT (name) DO NOTHING", [name]);
  return r.rowCount === 1;
}

/** The id for a schema fingerprint, inserting the schema when it is new. */
export async function upsertSchema(
  tx: Queryable,
  s: { fingerprint: Uint8Array; protoSource: string; messageName: string; refs: readonly SchemaRef[] },
): Promise<number> {
  const fp = Buffer.from(s.fingerprint);
  const found = await tx.query<{ id: string }>("SELECT id FROM registry_schemas WHERE fingerprint = $1", [fp]);
  if (found.rows[0]) return Number(found.rows[0].id);
  // A concurrent transaction may insert the same fingerprint: ON CONFLICT waits for it, then we read its id.
  const ins = await tx.query<{ id: string }>(
    `INSERT INTO registry_schemas (fingerprint, proto_source, message_name, refs) VALUES ($1, $2, $3, $4)
     ON CONFLICT (fingerprint) DO NOTHING RETURNING id`,
    [fp, s.protoSource, s.messageName, JSON.stringify(s.refs)],
  );
  if (ins.rows[0]) return Number(ins.rows[0].id);
  const again = await tx.query<{ id: string }>("SELECT id FROM registry_schemas WHERE fingerprint = $1", [fp]);
  return Number(again.rows[0]!.id);
}

/**
 * Inserts a schema under the id an IMPORT gives, and moves the id generator past it so later schemas never take it.
 * The caller has checked that neither the id nor the fingerprint is taken.
 */
export async function insertSchemaWithId(
  tx: Queryable,
  id: number,
  s: { fingerprint: Uint8Array; protoSource: string; messageName: string; refs: readonly SchemaRef[] },
): Promise<void> {
  await tx.query("INSERT INTO registry_schemas (id, fingerprint, proto_source, message_name, refs) VALUES ($1, $2, $3, $4, $5)", [
    id,
    Buffer.from(s.fingerprint),
    s.protoSource,
    s.messageName,
    JSON.stringify(s.refs),
  ]);
  await tx.query("SELECT setval(pg_get_serial_sequence('registry_schemas', 'id'), GREATEST((SELECT max(id) FROM registry_schemas), 1))");
}

/** The fingerprint stored under a schema id, if any. */
export async function fingerprintOfId(tx: Queryable, id: number): Promise<Uint8Array | undefined> {
  const { rows } = await tx.query<{ fingerprint: Buffer }>("SELECT fingerprint FROM registry_schemas WHERE id = $1", [id]);
  return rows[0] ? new Uint8Array(rows[0].fingerprint) : undefined;
}

/** Sets a subject's own mode (null: follow the global mode). */
export async function setSubjectMode(tx: Queryable, subject: string, mode: WriteMode | null): Promise<void> {
  await tx.query("UPDATE registry_subjects SET mode = $2 WHERE name = $1", [subject, mode]);
}

/** Sets the global mode. */
export async function setGlobalMode(tx: Queryable, mode: WriteMode): Promise<void> {
  await tx.query("UPDATE registry_config SET mode = $1", [mode]);
}

/** A new version row to insert. */
export interface NewVersion {
  subject: string;
  version: number;
  schemaId: number;
  protoSource: string;
  fileName: string;
  messageName: string;
  descriptorSet: Uint8Array;
  refs: readonly SchemaRef[];
  author: string;
}

/** Inserts a version and moves the subject's last_version to it; returns the creation time. */
export async function insertVersion(tx: Queryable, v: NewVersion): Promise<Date> {
  const { rows } = await tx.query<{ created_at: Date }>(
    `INSERT INTO registry_versions (subject, version, schema_id, proto_source, file_name, message_name, descriptor_set, refs, author)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING created_at`,
    [v.subject, v.version, v.schemaId, v.protoSource, v.fileName, v.messageName, Buffer.from(v.descriptorSet), JSON.stringify(v.refs), v.author],
  );
  // An IMPORT may bring a version below the newest; the last number given only grows.
  await tx.query("UPDATE registry_subjects SET last_version = GREATEST(last_version, $2) WHERE name = $1", [v.subject, v.version]);
  return rows[0]!.created_at;
}

/** Sets the lifecycle of some versions of a subject. */
export async function setLifecycle(tx: Queryable, subject: string, versions: readonly number[], state: LifecycleState): Promise<void> {
  await tx.query("UPDATE registry_versions SET lifecycle = $3 WHERE subject = $1 AND version = ANY($2::int[])", [subject, versions, state]);
}

/** Sets a subject's own mode (null: follow the global default). */
export async function setSubjectCompatibility(tx: Queryable, subject: string, mode: Mode | null): Promise<void> {
  await tx.query("UPDATE registry_subjects SET compatibility = $2 WHERE name = $1", [subject, mode]);
}

/** Sets the global default mode. */
export async function setGlobalCompatibility(tx: Queryable, mode: Mode): Promise<void> {
  await tx.query("UPDATE registry_config SET compatibility = $1", [mode]);
}

/** Sets a subject's description and owners. */
export async function updateSubjectMeta(tx: Queryable, subject: string, description: string, owners: readonly string[]): Promise<void> {
  await tx.query("UPDATE registry_subjects SET description = $2, owners = $3 WHERE name = $1", [subject, description, owners]);
}

/** Marks versions soft-deleted. */
export async function softDeleteVersions(tx: Queryable, subject: string, versions: readonly number[]): Promise<void> {
  await tx.query("UPDATE registry_versions SET deleted = true WHERE subject = $1 AND version = ANY($2::int[])", [subject, versions]);
}

/** Removes version rows for good (the global schema rows stay, so ids are never reused). */
export async function hardDeleteVersions(tx: Queryable, subject: string, versions: readonly number[]): Promise<void> {
  await tx.query("DELETE FROM registry_versions WHERE subject = $1 AND version = ANY($2::int[])", [subject, versions]);
}

/** Removes a subject row (its versions go with it). */
export async function deleteSubject(tx: Queryable, subject: string): Promise<void> {
  await tx.query("DELETE FROM registry_subjects WHERE name = $1", [subject]);
}
