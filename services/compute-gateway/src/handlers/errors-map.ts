import { FlinkUnreachableError, isFlinkClientError } from "@trackway/flink";
import { isTrackwayError, type TrackwayError } from "@trackway/runtime";
import { StateConflict } from "../core/job-rules.js";
import { isRefusal } from "../core/refusal.js";
import { flinkError, flinkUnavailable, jobStateConflict, queryInvalid, refused } from "../errors.js";
import { GatewayFailure } from "../store/statement-runner.js";

/**
 * Maps what the core and the stores throw to the caller's status: refusals to INVALID_ARGUMENT, state
 * conflicts to FAILED_PRECONDITION, Flink's failures (and the Flink clients' errors) to QUERY_INVALID or FLINK_ERROR with Flink's root cause.
 * Anything else is left as is (the runtime reports it as INTERNAL and logs it).
 */
export function toTrackwayError(e: unknown): unknown {
  if (isTrackwayError(e)) return e as TrackwayError;
  if (isRefusal(e)) return refused(e);
  if (e instanceof StateConflict) return jobStateConflict(e.reason, e.message);
  if (e instanceof GatewayFailure) return e.kind === "invalid" ? queryInvalid(e.message, e) : flinkError(e.message, e);
  if (e instanceof FlinkUnreachableError) return flinkUnavailable(e.baseUrl, e);
  if (isFlinkClientError(e)) return flinkError(e.rootCause, e);
  return e;
}
