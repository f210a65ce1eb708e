import { status } from "@grpc/grpc-js";
import { TrackwayError } from "@trackway/runtime";

/** Thrown when an authenticated key may not make a change: SCOPE_MISSING, NOT_SUBJECT_OWNER, SUBJECT_PREFIX_GRANTED, GRANT_REQUIRED. */
export const accessDenied = (reason: string, message: string) => new TrackwayError(status.PERMISSION_DENIED, reason, message);
