import { Metadata, status, type ServiceError, type StatusObject } from "@grpc/grpc-js";

/** Name of the trailer that carries a TrackwayError's machine-readable reason. */
export const REASON_TRAILER = "trackway-reason";

/**
 * gRPC's standard retry hint trailer: how long, in ms, the server asks the client to wait before trying again
 * (what `RESOURCE_EXHAUSTED` from a rate limit carries).
 */
export const RETRY_PUSHBACK_TRAILER = "grpc-retry-pushback-ms";

/** The one Trackway error: a gRPC status code, a stable UPPER_SNAKE reason and a message for people. */
export class TrackwayError extends Error {
  override name = "TrackwayError";
  /** Extra trailers sent with the status, e.g. RETRY_PUSHBACK_TRAILER. */
  readonly trailers: Readonly<Record<string, string>>;
  constructor(
    readonly code: status,
    readonly reason: string,
    message: string,
    options?: { cause?: unknown; trailers?: Record<string, string> },
  ) {
    super(message, options);
    this.trailers = options?.trailers ?? {};
  }
}

/** Whether a value is a TrackwayError (also across package copies). */
export function isTrackwayError(e: unknown): e is TrackwayError {
  return e instanceof TrackwayError || (e instanceof Error && e.name === "TrackwayError" && "reason" in e && "code" in e);
}

/**
 * The status sent to a caller for any error: a TrackwayError keeps its code, message and reason
 * (as a trailer); anything else becomes INTERNAL with a generic message, its details kept for the log.
 */
export function toStatus(e: unknown): Partial<StatusObject> & { code: status; details: string; metadata: Metadata } {
  const metadata = new Metadata();
  if (isTrackwayError(e)) {
    metadata.set(REASON_TRAILER, e.reason);
    for (const [k, v] of Object.entries(e.trailers ?? {})) metadata.set(k, v);
    return { code: e.code, details: e.message, metadata };
  }
  metadata.set(REASON_TRAILER, "INTERNAL");
  return { code: status.INTERNAL, details: "internal error; the server logged the cause", metadata };
}

/** The reason a failed call carries in its `trackway-reason` trailer, or undefined. */
export function reasonOf(e: unknown): string | undefined {
  const md = (e as Partial<ServiceError> | undefined)?.metadata;
  if (!(md instanceof Metadata)) return undefined;
  const v = md.get(REASON_TRAILER)[0];
  return v === undefined ? undefined : String(v);
}
