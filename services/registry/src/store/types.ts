import type { LifecycleState } from "../core/lifecycle.js";
import type { Mode } from "../core/modes.js";
import type { SchemaRef } from "../core/fingerprint.js";

/** Anything that runs a query: the pool, or a client inside a transaction. */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

/** A subject and its governance, with counts of its versions. */
export interface SubjectRecord {
  name: string;
  description: string;
  owners: string[];
  /** The subject's own mode; null when it follows the global default. */
  compatibility: Mode | null;
  /** Highest version number ever given (never reused). */
  lastVersion: number;
  createdAt: Date;
  /** Versions not soft-deleted. */
  liveVersions: number;
  /** Version rows, soft-deleted ones included. */
  allVersions: number;
  /** Newest version not soft-deleted; 0 when none. */
  latestLiveVersion: number;
}

/** A version without its source and descriptor bytes (cheap to list). */
export interface VersionHead {
  subject: string;
  version: number;
  schemaId: number;
  fileName: string;
  messageName: string;
  lifecycle: LifecycleState;
  deleted: boolean;
  /** Size of the serialized descriptor set. */
  descriptorBytes: number;
}

/** A version with everything registered for it. */
export interface VersionRecord extends VersionHead {
  protoSource: string;
  descriptorSet: Uint8Array;
  refs: SchemaRef[];
  author: string;
  createdAt: Date;
}

/** A global schema id's canonical content (what Confluent's GET /schemas/ids/{id} returns). */
export interface SchemaRecord {
  id: number;
  protoSource: string;
  messageName: string;
  refs: SchemaRef[];
}

/** One audit log entry. */
export interface AuditRecord {
  id: number;
  subject: string;
  version: number;
  action: string;
  actor: string;
  at: Date;
  before: unknown;
  after: unknown;
}

/** Actions written to the audit log (and streamed by Watch). */
export type AuditAction =
  | "REGISTER"
  | "SET_LIFECYCLE"
  | "SET_COMPATIBILITY"
  | "SET_MODE"
  | "SET_ENFORCEMENT"
  | "UPDATE_SUBJECT"
  | "DELETE_VERSION"
  | "DELETE_VERSION_PERMANENT"
  | "DELETE_SUBJECT"
  | "DELETE_SUBJECT_PERMANENT"
  | "ACCESS_DENIED"
  | "SET_OWNER"
  | "GRANT"
  | "UNGRANT"
  | "KEY_CREATE"
  | "KEY_REVOKE"
  | "RESTRICT_USE"
  | "UNRESTRICT_USE";
