import type { LifecycleState } from "../core/lifecycle.js";
import type { Mode } from "../core/modes.js";
import type { SchemaRef } from "../core/fingerprint.js";
import type { AuditRecord, SchemaRecord, SubjectRecord, VersionHead, VersionRecord } from "./types.js";

// Column lists shared by the queries, so that the mappers below always get what they read.
export const SUBJECT_COLUMNS = `s.name, s.description, s.owners, s.compatibility, s.last_version, s.created_at,
  (SELECT count(*) FILTER (WHERE NOT v.deleted) FROM registry_versions v WHERE v.subject = s.name)::int AS live_versions,
  (SELECT count(*) FROM registry_versions v WHERE v.subject = s.name)::int AS all_versions,
  (SELECT coalesce(max(v.version) FILTER (WHERE NOT v.deleted), 0) FROM registry_versions v WHERE v.subject = s.name)::int AS latest_live`;
export const HEAD_COLUMNS = "subject, version, schema_id, file_name, message_name, lifecycle, deleted, octet_length(descriptor_set) AS descriptor_bytes";
export const VERSION_COLUMNS = `${HEAD_COLUMNS}, proto_source, descriptor_set, refs, author, created_at`;

type Row = Record<string, unknown>;

/** A registry_subjects row (with SUBJECT_COLUMNS' counts) as a record. */
export const toSubject = (r: Row): SubjectRecord => ({
  name: r.name as string,
  description: r.description as string,
  owners: r.owners as string[],
  compatibility: (r.compatibility as Mode | null) ?? null,
  lastVersion: r.last_version as number,
  createdAt: r.created_at as Date,
  liveVersions: r.live_versions as number,
  allVersions: r.all_versions as number,
  latestLiveVersion: r.latest_live as number,
});

/** A registry_versions row (HEAD_COLUMNS) as a head. */
export const toHead = (r: Row): VersionHead => ({
  subject: r.subject as string,
  version: r.version as number,
  schemaId: Number(r.schema_id),
  fileName: r.file_name as string,
  messageName: r.message_name as string,
  lifecycle: r.lifecycle as LifecycleState,
  deleted: r.deleted as boolean,
  descriptorBytes: r.descriptor_bytes as number,
});

/** A registry_versions row (VERSION_COLUMNS) as a record. */
export const toVersion = (r: Row): VersionRecord => ({
  ...toHead(r),
  protoSource: r.proto_source as string,
  descriptorSet: r.descriptor_set as Buffer,
  refs: r.refs as SchemaRef[],
  author: r.author as string,
  createdAt: r.created_at as Date,
});

/** A registry_schemas row as a record. */
export const toSchema = (r: Row): SchemaRecord => ({
  id: Number(r.id),
  protoSource: r.proto_source as string,
  messageName: r.message_name as string,
  refs: r.refs as SchemaRef[],
});

/** A registry_audit row as a record. */
export const toAudit = (r: Row): AuditRecord => ({
  id: Number(r.id),
  subject: r.subject as string,
  version: r.version as number,
  action: r.action as string,
  actor: r.actor as string,
  at: r.at as Date,
  before: r.before ?? null,
  after: r.after ?? null,
});
