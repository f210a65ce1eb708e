import { Metadata, status } from "@grpc/grpc-js";

/** How retries are spaced. */
export interface BackoffOptions {
  /** First retry's upper bound, ms. @default 100 */
  initialBackoffMs: number;
  /** Largest upper bound, ms. @default 10000 */
  maxBackoffMs: number;
  /** Attempts per batch, the first included; then the batch's events are dropped (onDrop). @default 12 */
  maxAttempts: number;
}

/** What to do with a batch whose send failed. */
export type FailureAction = "retry" | "split" | "drop";

/** A failed send as the client sees it: a gRPC status code and Trackway's reason trailer, when present. */
export interface SendFailure {
  code: status;
  reason: string | undefined;
  message: string;
  /** How long the server asked to wait before retrying (trailer `grpc-retry-pushback-ms`, sent with RATE_LIMITED), ms. */
  retryAfterMs?: number;
}

// Codes that mean "not now": the batch may succeed later unchanged.
const RETRYABLE = new Set([status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.RESOURCE_EXHAUSTED]);
// Reasons that mean "too big": half the batch may pass.
const SPLITTABLE = new Set(["BATCH_TOO_LARGE", "BATCH_TOO_MANY_EVENTS"]);

/**
 * Decides a failed batch's fate. Too big (BATCH_TOO_LARGE, BATCH_TOO_MANY_EVENTS): split it in two and send
 * the halves. UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED: retry the same events (same ids) later.
 * Anything else (UNAUTHENTICATED, INVALID_ARGUMENT…) will fail again: drop it and report why.
 */
export function classifyFailure(f: SendFailure, events: number): FailureAction {
  if (f.reason !== undefined && SPLITTABLE.has(f.reason)) return events > 1 ? "split" : "drop";
  return RETRYABLE.has(f.code) ? "retry" : "drop";
}

/**
 * The wait before retrying a failure: the server's hint when it gave one (a rate limit says when the key may send
 * again; retrying sooner only fails again), plus a little jitter so that many clients do not come back at once;
 * otherwise the backoff.
 */
export function retryDelayMs(f: SendFailure, attempt: number, o: BackoffOptions, random: () => number = Math.random): number {
  if (f.retryAfterMs !== undefined) return f.retryAfterMs + Math.floor(random() * Math.min(o.initialBackoffMs, f.retryAfterMs / 10 + 1));
  return backoffMs(attempt, o, random);
}

/**
 * The wait before retry number `attempt` (1 for the first retry): "full jitter", a uniform draw between 0
 * and min(max, initial × 2^(attempt-1)), so that many clients failing together do not retry together.
 */
export function backoffMs(attempt: number, o: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(o.maxBackoffMs, o.initialBackoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Reads a SendFailure from whatever a grpc-js call failed with. */
export function toSendFailure(e: unknown): SendFailure {
  const err = e as { code?: unknown; metadata?: unknown; details?: unknown; message?: unknown };
  const code = typeof err?.code === "number" ? (err.code as status) : status.UNKNOWN;
  const md = err?.metadata instanceof Metadata ? err.metadata : undefined;
  const reason = md?.get("trackway-reason")[0];
  const message = typeof err?.details === "string" ? err.details : typeof err?.message === "string" ? err.message : String(e);
  const pushback = Number(md?.get("grpc-retry-pushback-ms")[0]);
  return { code, reason: reason === undefined ? undefined : String(reason), message, ...(Number.isFinite(pushback) && pushback >= 0 ? { retryAfterMs: pushback } : {}) };
}
