import type { Mode } from "../core/modes.js";
import type { WriteMode } from "../core/write-mode.js";
import { HEAD_COLUMNS, SUBJECT_COLUMNS, VERSION_COLUMNS, toHead, toSchema, toSubject, toVersion } from "./rows.js";
import type { Queryable, SchemaRecord, SubjectRecord, VersionHead, VersionRecord } from "./types.js";

/** Read queries over the registry's tables; works on the pool or inside a transaction. */
export class RegistryReads {
  constructor(private readonly db: Queryable) {}

  /** The global default compatibility mode. */
  async globalCompatibility(): Promise<Mode> {
    const { rows } = await this.db.query<{ compatibility: Mode }>("SELECT compatibility FROM registry_config");
    return rows[0]?.compatibility ?? "BACKWARD";
  }

  /** One subject, or undefined. `lock` takes a row lock (inside a transaction) so writers of the subject queue. */
  async subject(name: string, lock = false): Promise<SubjectRecord | undefined> {
    const { rows } = await this.db.query(`SELECT ${SUBJECT_COLUMNS} FROM registry_subjects s WHERE s.name = $1${lock ? " FOR UPDATE" : ""}`, [name]);
    return rows[0] ? toSubject(rows[0]) : undefined;
  }

  /** Subjects by name; `prefix` filters. Each subject comes with its version counts so callers can filter on them. */
  async subjects(prefix = ""): Promise<SubjectRecord[]> {
    const { rows } = await this.db.query(
      `SELECT ${SUBJECT_COLUMNS} FROM registry_subjects s WHERE starts_with(s.name, $1) ORDER BY s.name`,
      [prefix],
    );
    return rows.map(toSubject);
  }

  /** The versions of a subject, oldest first, without source and descriptor bytes. */
  async heads(subject: string, includeDeleted = false): Promise<VersionHead[]> {
    const { rows } = await this.db.query(
      `SELECT ${HEAD_COLUMNS} FROM registry_versions WHERE subject = $1 ${includeDeleted ? "" : "AND NOT deleted"} ORDER BY version`,
      [subject],
    );
    return rows.map(toHead);
  }

  /** Full records of some versions of a subject (any deletion state), oldest first. */
  async versions(subject: string, versions?: readonly number[]): Promise<VersionRecord[]> {
    const filter = versions ? "AND version = ANY($2::int[])" : "";
    const { rows } = await this.db.query(
      `SELECT ${VERSION_COLUMNS} FROM registry_versions WHERE subject = $1 ${filter} ORDER BY version`,
      versions ? [subject, versions] : [subject],
    );
    return rows.map(toVersion);
  }

  /** One version (soft-deleted ones only when asked), or undefined. */
  async version(subject: string, version: number, includeDeleted = false): Promise<VersionRecord | undefined> {
    const { rows } = await this.db.query(
      `SELECT ${VERSION_COLUMNS} FROM registry_versions WHERE subject = $1 AND version = $2 ${includeDeleted ? "" : "AND NOT deleted"}`,
      [subject, version],
    );
    return rows[0] ? toVersion(rows[0]) : undefined;
  }

  /** The global schema with this id while some version (even soft-deleted) still uses it, else undefined. */
  async schemaById(id: number): Promise<SchemaRecord | undefined> {
    const { rows } = await this.db.query(
      `SELECT id, proto_source, message_name, refs FROM registry_schemas s
        WHERE id = $1 AND EXISTS (SELECT 1 FROM registry_versions v WHERE v.schema_id = s.id)`,
      [id],
    );
    return rows[0] ? toSchema(rows[0]) : undefined;
  }

  /** The first registered version using a schema id (it holds the descriptor set), or undefined. */
  async firstVersionOfSchema(id: number): Promise<VersionRecord | undefined> {
    const { rows } = await this.db.query(
      `SELECT ${VERSION_COLUMNS} FROM registry_versions WHERE schema_id = $1 ORDER BY deleted, created_at, subject, version LIMIT 1`,
      [id],
    );
    return rows[0] ? toVersion(rows[0]) : undefined;
  }

  /** Every subject version using a schema id. */
  async usesOfSchema(id: number, includeDeleted = false): Promise<{ subject: string; version: number }[]> {
    const { rows } = await this.db.query<{ subject: string; version: number }>(
      `SELECT subject, version FROM registry_versions WHERE schema_id = $1 ${includeDeleted ? "" : "AND NOT deleted"} ORDER BY subject, version`,
      [id],
    );
    return rows;
  }

  /** The id of the schema with this fingerprint, or undefined. */
  async schemaIdByFingerprint(fingerprint: Uint8Array): Promise<number | undefined> {
    const { rows } = await this.db.query<{ id: string }>("SELECT id FROM registry_schemas WHERE fingerprint = $1", [Buffer.from(fingerprint)]);
    return rows[0] ? Number(rows[0].id) : undefined;
  }

  /** The newest live version of a subject that uses a schema id, or undefined. */
  async liveVersionWithSchema(subject: string, schemaId: number, includeDeleted = false): Promise<VersionRecord | undefined> {
    const { rows } = await this.db.query(
      `SELECT ${VERSION_COLUMNS} FROM registry_versions WHERE subject = $1 AND schema_id = $2 ${includeDeleted ? "" : "AND NOT deleted"}
        ORDER BY version DESC LIMIT 1`,
      [subject, schemaId],
    );
    return rows[0] ? toVersion(rows[0]) : undefined;
  }

  /** Versions (any subject) whose references import this subject version, as `subject@version`. */
  async referrers(subject: string, version: number): Promise<string[]> {
    const { rows } = await this.db.query<{ subject: string; version: number }>(
      "SELECT subject, version FROM registry_versions WHERE refs @> $1::jsonb ORDER BY subject, version",
      [JSON.stringify([{ subject, version }])],
    );
    return rows.map((r) => `${r.subject}@${r.version}`);
  }

  /** Global ids of the versions that import a subject version (Confluent's `referencedby`), ascending. */
  async referrerIds(subject: string, version: number, includeDeleted = false): Promise<number[]> {
    const { rows } = await this.db.query<{ schema_id: string }>(
      `SELECT DISTINCT schema_id FROM registry_versions WHERE refs @> $1::jsonb ${includeDeleted ? "" : "AND NOT deleted"} ORDER BY schema_id`,
      [JSON.stringify([{ subject, version }])],
    );
    return rows.map((r) => Number(r.schema_id));
  }

  /** The global mode (READWRITE unless set). */
  async globalMode(): Promise<WriteMode> {
    const { rows } = await this.db.query<{ mode: WriteMode }>("SELECT mode FROM registry_config");
    return rows[0]?.mode ?? "READWRITE";
  }

  /** A subject's own mode; undefined when it has none (it follows the global mode). */
  async subjectMode(subject: string): Promise<WriteMode | undefined> {
    const { rows } = await this.db.query<{ mode: WriteMode | null }>("SELECT mode FROM registry_subjects WHERE name = $1", [subject]);
    return rows[0]?.mode ?? undefined;
  }

  /** The mode in force for a subject: its own, else the global one. */
  async modeInScope(subject: string): Promise<WriteMode> {
    return (await this.subjectMode(subject)) ?? (await this.globalMode());
  }

  /** True when any subject (of this name, or any when empty) has a version not soft-deleted. */
  async hasLiveVersions(subject: string): Promise<boolean> {
    const { rows } = await this.db.query(
      `SELECT 1 FROM registry_versions WHERE NOT deleted ${subject ? "AND subject = $1" : ""} LIMIT 1`,
      subject ? [subject] : [],
    );
    return rows.length > 0;
  }
}
