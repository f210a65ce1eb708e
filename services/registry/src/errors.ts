import { status } from "@grpc/grpc-js";
import { TrackwayError } from "@trackway/runtime";

/** One way a schema breaks compatibility (the shape core/compatibility returns). */
export interface ViolationInfo {
  rule: string;
  path: string;
  message: string;
  againstVersion?: number;
}

/** Thrown when a schema breaks its subject's compatibility mode; carries every violation for the caller. */
export class SchemaIncompatibleError extends TrackwayError {
  constructor(
    readonly subject: string,
    readonly violations: readonly ViolationInfo[],
  ) {
    const shown = violations.slice(0, 5).map((v) => `${v.rule} at ${v.path}${v.againstVersion ? ` (vs version ${v.againstVersion})` : ""}: ${v.message}`);
    if (violations.length > 5) shown.push(`and ${violations.length - 5} more`);
    super(status.FAILED_PRECONDITION, "SCHEMA_INCOMPATIBLE", `schema is incompatible with subject "${subject}": ${shown.join("; ")}`);
  }
}

/** The subject does not exist (or has no live version where one is needed). */
export const subjectNotFound = (subject: string) =>
  new TrackwayError(status.NOT_FOUND, "SUBJECT_NOT_FOUND", `subject "${subject}" is not registered`);

/** The subject exists but not this version (or it was deleted). */
export const versionNotFound = (subject: string, version: number | string) =>
  new TrackwayError(status.NOT_FOUND, "VERSION_NOT_FOUND", `subject "${subject}" has no version ${version}`);

/** No schema has this global id, or the schema is not registered under the subject. */
export const schemaNotFound = (what: string) => new TrackwayError(status.NOT_FOUND, "SCHEMA_NOT_FOUND", `schema ${what} not found`);

/** A version number that is not 1…2^31-1 (or `latest` where allowed). */
export const versionInvalid = (given: string) =>
  new TrackwayError(status.INVALID_ARGUMENT, "VERSION_INVALID", `"${given}" is not a valid version: use 1 to 2147483647 or "latest"`);

/** A compatibility mode name we do not know. */
export const compatibilityInvalid = (given: string) =>
  new TrackwayError(
    status.INVALID_ARGUMENT,
    "COMPATIBILITY_INVALID",
    `"${given}" is not a compatibility mode: use NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL or FULL_TRANSITIVE`,
  );

/** A subject name that cannot be used. */
export const subjectInvalid = (problem: string) => new TrackwayError(status.INVALID_ARGUMENT, "SUBJECT_INVALID", problem);

/** A reference names a subject version that is not registered, or two references clash. */
export const referenceInvalid = (detail: string) => new TrackwayError(status.INVALID_ARGUMENT, "REFERENCE_INVALID", detail);

/** A lifecycle change that goes backwards (e.g. disabled → active). */
export const lifecycleInvalid = (detail: string) => new TrackwayError(status.FAILED_PRECONDITION, "LIFECYCLE_INVALID", detail);

/** A soft delete of a subject whose versions are all soft-deleted already. */
export const subjectSoftDeleted = (subject: string) =>
  new TrackwayError(status.FAILED_PRECONDITION, "SUBJECT_SOFT_DELETED", `subject "${subject}" is already deleted; delete it permanently to remove it`);

/** A permanent delete of a subject not soft-deleted first (Confluent's rule). */
export const subjectNotSoftDeleted = (subject: string) =>
  new TrackwayError(status.FAILED_PRECONDITION, "SUBJECT_NOT_SOFT_DELETED", `subject "${subject}" must be deleted (soft) before it is deleted permanently`);

/** A soft delete of a version that is soft-deleted already (Confluent's 40406). */
export const versionSoftDeleted = (subject: string, version: number) =>
  new TrackwayError(
    status.FAILED_PRECONDITION,
    "VERSION_SOFT_DELETED",
    `subject "${subject}" version ${version} is already deleted; delete it permanently to remove it`,
  );

/** A permanent delete of a version not soft-deleted first (Confluent's rule). */
export const versionNotSoftDeleted = (subject: string, version: number) =>
  new TrackwayError(
    status.FAILED_PRECONDITION,
    "VERSION_NOT_SOFT_DELETED",
    `subject "${subject}" version ${version} must be deleted (soft) before it is deleted permanently`,
  );

/** A delete of a version other registered schemas import. */
export const referenceExists = (subject: string, version: number, by: string[]) =>
  new TrackwayError(status.FAILED_PRECONDITION, "REFERENCE_EXISTS", `subject "${subject}" version ${version} is imported by ${by.join(", ")}`);

/** A request field that is missing or malformed. */
export const invalidArgument = (reason: string, detail: string) => new TrackwayError(status.INVALID_ARGUMENT, reason, detail);

/** A write refused by the subject's or the global mode (READONLY, IMPORT without an id, an id outside IMPORT). */
export const operationNotPermitted = (detail: string) => new TrackwayError(status.FAILED_PRECONDITION, "OPERATION_NOT_PERMITTED", detail);

/** A mode name that is not READWRITE, READONLY, READONLY_OVERRIDE or IMPORT. */
export const modeInvalid = (given: string) =>
  new TrackwayError(status.INVALID_ARGUMENT, "MODE_INVALID", `"${given}" is not a mode: use READWRITE, READONLY, READONLY_OVERRIDE or IMPORT`);

/** A new subject whose typed view name (the compute gateway's, `typedViewName`) another live subject already has. */
export const viewNameCollision = (subject: string, view: string, heldBy: string) =>
  new TrackwayError(
    status.ALREADY_EXISTS,
    "VIEW_NAME_COLLISION",
    `subject "${subject}" would get the typed view "${view}", which subject "${heldBy}" already has; choose a name that differs in more than punctuation or case`,
  );
