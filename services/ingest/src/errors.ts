import { status } from "@grpc/grpc-js";
import { explainKafkaError, type KafkaSecurity } from "@trackway/kafka";
import { RETRY_PUSHBACK_TRAILER, TrackwayError } from "@trackway/runtime";

/**
 * Thrown when a whole batch is refused before its events are looked at: BATCH_TOO_LARGE is RESOURCE_EXHAUSTED
 * (as gRPC's own message-size limit), BATCH_TOO_MANY_EVENTS and BATCH_MALFORMED are INVALID_ARGUMENT.
 */
export const batchRefused = (reason: string, message: string) =>
  new TrackwayError(reason === "BATCH_TOO_LARGE" ? status.RESOURCE_EXHAUSTED : status.INVALID_ARGUMENT, reason, message);

/**
 * Thrown when Kafka did not acknowledge a batch's records: nothing of the batch is acknowledged, retry it. When the
 * broker refused ingest's own credentials or ACLs, the reason says so (KAFKA_AUTH_FAILED, KAFKA_NOT_AUTHORIZED) and
 * what the operator must fix; retrying later is still safe.
 */
export const kafkaUnavailable = (cause: unknown, security?: KafkaSecurity) =>
  explainKafkaError(cause, security) ??
  new TrackwayError(status.UNAVAILABLE, "KAFKA_UNAVAILABLE", "Kafka did not acknowledge the batch; retry it with the same event ids", { cause });

/** Thrown when the registry could not be asked about a batch's event types. */
export const registryUnavailable = (cause: unknown) =>
  new TrackwayError(status.UNAVAILABLE, "REGISTRY_UNAVAILABLE", "the schema registry could not be reached; retry the batch", { cause });

/** Thrown to batches that arrive while the service shuts down. */
export const shuttingDown = () => new TrackwayError(status.UNAVAILABLE, "SHUTTING_DOWN", "ingest is shutting down; retry on another instance");

/** Thrown when a key sends faster than its rate limit: retry the batch after `retryAfterMs` (sent as grpc-retry-pushback-ms). */
export const rateLimited = (keyId: string, limit: "events" | "bytes", perSecond: number, retryAfterMs: number) =>
  new TrackwayError(status.RESOURCE_EXHAUSTED, "RATE_LIMITED", `API key ${keyId} may send ${perSecond} ${limit}/s; retry in ${retryAfterMs} ms`, {
    trailers: { [RETRY_PUSHBACK_TRAILER]: String(retryAfterMs) },
  });
