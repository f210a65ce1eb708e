import { status } from "@grpc/grpc-js";
import { TrackwayError } from "@trackway/runtime";
import type { Refusal } from "./core/refusal.js";

/** Job control needs a key with operator rights, the `jobs:admin` scope. */
export const notAnOperator = (tenant: string, keyId: string) =>
  new TrackwayError(
    status.PERMISSION_DENIED,
    "NOT_AN_OPERATOR",
    `key ${keyId} of tenant "${tenant}" may not control jobs: that needs the scope "jobs:admin" (trackway keys create --scope jobs:admin)`,
  );

/** A request the core refused (read-only check, parameters, arguments): INVALID_ARGUMENT with the refusal's reason. */
export const refused = (r: Refusal) => new TrackwayError(status.INVALID_ARGUMENT, r.reason, r.message);

/** The tenant already runs as many statements as it may at once (TRACKWAY_COMPUTE_TENANT_MAX_QUERIES) and its queue is full or its wait ran out. */
export const tenantQueryLimit = (max: number, shared = false, waitedMs?: number) =>
  new TrackwayError(
    status.RESOURCE_EXHAUSTED,
    "TENANT_QUERY_LIMIT",
    `your tenant already runs ${max} statement${max === 1 ? "" : "s"} at once${shared ? " (its fair share while other tenants query)" : ""}` +
      (waitedMs === undefined
        ? " and others wait for a slot; wait for one to finish, or send fewer statements at once"
        : ` and none finished within ${Math.round(waitedMs / 100) / 10} s of waiting; retry when one has finished, or send fewer statements at once`),
  );

/** No task slots came free for a query job within the wait: they are kept for the warehouse (streaming) jobs. */
export const clusterSlotsReserved = (free: number | undefined, neededByJobs: number | undefined, reserve: number, waitedMs: number) =>
  new TrackwayError(
    status.RESOURCE_EXHAUSTED,
    "CLUSTER_BUSY",
    `no task slot came free for the query within ${Math.round(waitedMs / 100) / 10} s: the cluster's free slots (${free ?? "?"}) are kept for its warehouse jobs ` +
      `(${neededByJobs ?? 0} needed by jobs being started or restarted, ${reserve} reserved); retry in a minute, or ask the operator for more task slots`,
  );

/** A statement whose caller went away while it waited for a slot. */
export const queryCancelled = () => new TrackwayError(status.CANCELLED, "QUERY_CANCELLED", "the call was cancelled while the statement waited for a slot");

/** Another tenant started a statement while this one ran above its tenant's fair share (TRACKWAY_COMPUTE_TENANT_SHARED_QUERIES). */
export const queryPreempted = () =>
  new TrackwayError(status.RESOURCE_EXHAUSTED, "QUERY_PREEMPTED", "the statement was cancelled to give other tenants their share of the cluster; retry it when fewer of your statements run");

/** The tenant already runs a statement and, for the whole wait, the cluster had no slot to spare beyond those kept for other tenants. */
export const clusterBusy = (reserved: number) =>
  new TrackwayError(
    status.RESOURCE_EXHAUSTED,
    "TENANT_QUERY_LIMIT",
    `the cluster's free task slots stayed kept for other tenants (${reserved} reserved) while yours already runs a statement; retry when it finishes`,
  );

/** The statement is larger than TRACKWAY_COMPUTE_MAX_STATEMENT_BYTES. */
export const statementTooLarge = (bytes: number, max: number) =>
  new TrackwayError(status.INVALID_ARGUMENT, "STATEMENT_TOO_LARGE", `the statement has ${bytes} bytes; at most ${max} are allowed`);

/** The query ran longer than its timeout; its Flink job was cancelled. */
export const queryTimeout = (ms: number) =>
  new TrackwayError(status.DEADLINE_EXCEEDED, "QUERY_TIMEOUT", `the query did not finish within ${ms} ms and was cancelled`);

/** Flink refused the query as invalid (unknown column, type mismatch…): its root-cause message. */
export const queryInvalid = (rootCause: string, cause?: unknown) => new TrackwayError(status.INVALID_ARGUMENT, "QUERY_INVALID", rootCause, { cause });

/** Flink failed: its root-cause message, never a stack trace. */
export const flinkError = (rootCause: string, cause?: unknown) => new TrackwayError(status.INTERNAL, "FLINK_ERROR", rootCause, { cause });

/** The SQL Gateway or the Flink REST API cannot be reached. */
export const flinkUnavailable = (what: string, cause?: unknown) =>
  new TrackwayError(status.UNAVAILABLE, "FLINK_UNAVAILABLE", `${what} is unreachable`, { cause });

/** No job has this id. */
export const jobNotFound = (id: string) => new TrackwayError(status.NOT_FOUND, "JOB_NOT_FOUND", `no job with id "${id}"`);

/** No job definition file has this name. */
export const definitionNotFound = (name: string, known: readonly string[]) =>
  new TrackwayError(status.NOT_FOUND, "DEFINITION_NOT_FOUND", `no job definition "${name}"; known: ${known.join(", ")}`);

/** The job is not in a state that allows the action (start a running job, stop a stopped one…). */
export const jobStateConflict = (reason: string, message: string) => new TrackwayError(status.FAILED_PRECONDITION, reason, message);

/** A stop-with-savepoint did not complete: Flink's root cause. */
export const savepointFailed = (rootCause: string) => new TrackwayError(status.INTERNAL, "SAVEPOINT_FAILED", rootCause);
