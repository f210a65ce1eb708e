import { status } from "@grpc/grpc-js";
import { TrackwayError } from "@trackway/runtime";
import type { Scope } from "./principal.js";

const SCOPE_NAMES = "events:write, query:read, schemas:read, schemas:write, schemas:admin, jobs:admin, keys:admin, keys:operator, users:delete";

/** Thrown when a call carries no API key. */
export const apiKeyMissing = () =>
  new TrackwayError(status.UNAUTHENTICATED, "API_KEY_MISSING", "send an API key in the x-api-key metadata entry or as authorization: Bearer <key>");

/** Thrown when a call's API key is malformed, unknown or revoked. */
export const apiKeyInvalid = () => new TrackwayError(status.UNAUTHENTICATED, "API_KEY_INVALID", "the API key is unknown or revoked");

/** Thrown when the API key store (PostgreSQL) could not be asked: retrying later may succeed. */
export const keyStoreUnavailable = (cause: unknown) =>
  new TrackwayError(status.UNAVAILABLE, "KEY_STORE_UNAVAILABLE", "API keys could not be checked; retry the call", { cause });

/** Thrown when an authenticated key lacks the scope a call needs. */
export const scopeMissing = (keyId: string, scope: Scope) =>
  new TrackwayError(status.PERMISSION_DENIED, "SCOPE_MISSING", `API key ${keyId} lacks the scope "${scope}" (trackway keys create --scope ${scope})`);

/** Thrown when a key is to be given a scope that does not exist. */
export const scopeUnknown = (name: string) =>
  new TrackwayError(status.INVALID_ARGUMENT, "SCOPE_UNKNOWN", `unknown scope "${name}"; scopes are ${SCOPE_NAMES}`);
