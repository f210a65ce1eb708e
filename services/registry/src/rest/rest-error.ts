import { isTrackwayError } from "@trackway/runtime";
import { SchemaIncompatibleError } from "../errors.js";

/** An error as Confluent Schema Registry sends it: an HTTP status and a body `{error_code, message}`. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

// Our stable reasons → Confluent's HTTP status and error_code (io.confluent.kafka.schemaregistry.rest.exceptions.Errors).
const byReason: Record<string, [number, number]> = {
  SUBJECT_NOT_FOUND: [404, 40401],
  VERSION_NOT_FOUND: [404, 40402],
  SCHEMA_NOT_FOUND: [404, 40403],
  SUBJECT_SOFT_DELETED: [404, 40404],
  SUBJECT_NOT_SOFT_DELETED: [404, 40405],
  VERSION_SOFT_DELETED: [404, 40406],
  VERSION_NOT_SOFT_DELETED: [404, 40407],
  SCHEMA_INCOMPATIBLE: [409, 40901],
  SCHEMA_INVALID: [422, 42201],
  IMPORT_NOT_FOUND: [422, 42201],
  MESSAGE_NOT_FOUND: [422, 42201],
  REFERENCE_INVALID: [422, 42201],
  SCHEMA_TYPE_UNSUPPORTED: [422, 42201],
  VERSION_INVALID: [422, 42202],
  COMPATIBILITY_INVALID: [422, 42203],
  LIFECYCLE_INVALID: [422, 42205],
  MODE_INVALID: [422, 42204],
  OPERATION_NOT_PERMITTED: [422, 42205],
  SCHEMA_ID_CONFLICT: [422, 42205],
  REFERENCE_EXISTS: [422, 42206],
  SUBJECT_INVALID: [422, 42208],
  // The name is unusable here, as an invalid one is: Confluent clients know 42208 (invalid subject) and show its message.
  VIEW_NAME_COLLISION: [422, 42208],
};

/** The REST form of any error: known reasons keep their message; anything else is 500/50001 (the cause is logged). */
export function toRestError(e: unknown): RestError {
  if (e instanceof RestError) return e;
  if (e instanceof SchemaIncompatibleError) {
    const details = e.violations.map((v) => `${v.rule} ${v.path}: ${v.message}${v.againstVersion ? ` (version ${v.againstVersion})` : ""}`);
    return new RestError(409, 40901, `Schema being registered is incompatible with an earlier schema for subject "${e.subject}", details: [${details.join(", ")}]`);
  }
  if (isTrackwayError(e)) {
    const mapped = byReason[e.reason];
    if (mapped) return new RestError(mapped[0], mapped[1], e.message);
  }
  return new RestError(500, 50001, "Error in the backend datastore");
}

/** 404 for a path no route serves. */
export const routeNotFound = () => new RestError(404, 404, "HTTP 404 Not Found");
/** 405 for a known path with another method. */
export const methodNotAllowed = () => new RestError(405, 405, "HTTP 405 Method Not Allowed");
/** 413 for a body over the limit. */
export const bodyTooLarge = (limit: number) => new RestError(413, 413, `request body is larger than the limit of ${limit} bytes`);
/** 400 for a body that is not JSON. */
export const bodyNotJson = (detail: string) => new RestError(400, 400, `request body is not valid JSON: ${detail}`);
/** 422 for JSON of the wrong shape. */
export const bodyInvalid = (detail: string) => new RestError(422, 422, detail);
/** 40408: GET /config/{subject} of a subject without its own mode. */
export const subjectCompatibilityNotConfigured = (subject: string) =>
  new RestError(404, 40408, `Subject '${subject}' does not have subject-level compatibility configured`);
/** 40409: GET /mode/{subject} of a subject without its own mode. */
export const subjectModeNotConfigured = (subject: string) =>
  new RestError(404, 40409, `Subject '${subject}' does not have subject-level mode configured`);
