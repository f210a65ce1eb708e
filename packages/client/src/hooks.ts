import type { status } from "@grpc/grpc-js";
import type { BatchResult } from "@trackway/proto/ingest/v1";

/** A batch ingest acknowledged. */
export interface BatchSentInfo {
  batchId: string;
  events: number;
  /** Ids of the batch's events; those not in `result.rejections` are durably in Kafka. */
  eventIds: string[];
  /** Encoded request size before gRPC compression, bytes. */
  bytes: number;
  /** 1 for the first try. */
  attempt: number;
  /** From this attempt's send to its result, ms. */
  latencyMs: number;
  result: BatchResult;
}

/** A batch about to be retried. */
export interface RetryInfo {
  batchId: string;
  events: number;
  /** The attempt that failed, 1 for the first. */
  attempt: number;
  delayMs: number;
  code: status;
  reason: string | undefined;
}

/**
 * Events given up on. Reasons: `QUEUE_FULL` (overflow policy), `CLIENT_CLOSED` (tracked after close),
 * `CLOSE_TIMEOUT` (close() ran out of time), `RETRIES_EXHAUSTED`, or the server's reason for a refusal that
 * retrying cannot fix (for example `API_KEY_INVALID`).
 */
export interface DropInfo {
  reason: string;
  eventIds: string[];
  code?: status;
  message?: string;
}

/**
 * Callbacks for metrics and logs. They run synchronously on the client's path: keep them cheap; an
 * exception thrown by a hook is swallowed so that it cannot break sending.
 */
export interface ClientHooks {
  /** A batch was acknowledged (its accepted events are durably in Kafka; rejected ones are listed in the result). */
  onBatchSent?(info: BatchSentInfo): void;
  /** A failed batch will be sent again after `delayMs`, with the same event ids. */
  onRetry?(info: RetryInfo): void;
  /** Events were dropped and will not be sent. */
  onDrop?(info: DropInfo): void;
}

/** Calls a hook, ignoring what it throws. */
export function callHook<T>(hook: ((x: T) => void) | undefined, x: T): void {
  if (!hook) return;
  try {
    hook(x);
  } catch {
    // A metrics hook must not break delivery.
  }
}
