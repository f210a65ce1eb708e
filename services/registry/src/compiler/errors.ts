import { status } from "@grpc/grpc-js";
import { TrackwayError } from "@trackway/runtime";

/** The .proto text does not compile (syntax or semantic error); the message carries buf's `file:line:column:text`. */
export const schemaInvalid = (detail: string, cause?: unknown) =>
  new TrackwayError(status.INVALID_ARGUMENT, "SCHEMA_INVALID", `invalid schema: ${detail}`, { cause });

/** An import is neither a well-known type nor among the sources given with the schema. */
export const importNotFound = (detail: string) =>
  new TrackwayError(status.INVALID_ARGUMENT, "IMPORT_NOT_FOUND", `import not found: ${detail}`);

/** The properties message named (or implied) does not exist in the schema's file. */
export const messageNotFound = (detail: string) =>
  new TrackwayError(status.INVALID_ARGUMENT, "MESSAGE_NOT_FOUND", detail);

/** The buf compiler itself failed (missing binary, crash, timeout): our fault, not the schema's. */
export const compilerFailed = (detail: string, cause?: unknown) =>
  new TrackwayError(status.INTERNAL, "SCHEMA_COMPILER_FAILED", `schema compiler failed: ${detail}`, { cause });
