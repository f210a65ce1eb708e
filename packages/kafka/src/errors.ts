import { status } from "@grpc/grpc-js";
import { TrackwayError } from "@trackway/runtime";
import type { KafkaSecurity } from "./connection.js";

// Matched on the message, because errors of ingest's producer thread cross to the main thread as text only.
const AUTHENTICATION = /SASL\b.*authentication failed|does not support the requested SASL mechanism/i;
const AUTHORIZATION = /not authorized to access|authorization failed/i;

/**
 * The text of a kafkajs error with the errors it wraps (an aggregate's `errors`, a retry's `originalError`, `cause`),
 * to match on and to pass between threads: kafkajs reports a refused topic creation as "Topic creation errors".
 */
export function kafkaErrorText(e: unknown): string {
  const parts: string[] = [];
  const walk = (x: unknown, depth: number) => {
    if (x === undefined || x === null || depth > 4) return;
    if (!(x instanceof Error)) return void parts.push(String(x));
    parts.push(x.name === "Error" ? x.message : `${x.name}: ${x.message}`);
    const o = x as { errors?: unknown; originalError?: unknown; cause?: unknown };
    if (Array.isArray(o.errors)) for (const n of o.errors) walk(n, depth + 1);
    if (o.originalError !== x) walk(o.originalError, depth + 1);
    walk(o.cause, depth + 1);
  };
  walk(e, 0);
  return [...new Set(parts)].join("; ");
}

/** Whether a kafkajs error (or its text) says the broker refused the credentials. */
export const isKafkaAuthenticationError = (e: unknown) => AUTHENTICATION.test(kafkaErrorText(e));
/** Whether a kafkajs error (or its text) says an ACL refused the operation. */
export const isKafkaAuthorizationError = (e: unknown) => AUTHORIZATION.test(kafkaErrorText(e));

const who = (s: KafkaSecurity | undefined) =>
  s === undefined ? "this client" : s.sasl ? `user "${s.sasl.username}" (${s.sasl.mechanism})` : `an unauthenticated ${s.protocol} client`;

/**
 * A Kafka failure that retrying cannot fix, explained with what to do: KAFKA_AUTH_FAILED when the broker refused
 * the SASL credentials, KAFKA_NOT_AUTHORIZED when an ACL refused the operation; undefined for any other failure
 * (an outage, a timeout), which the caller reports as it does today. Never includes the password.
 */
export function explainKafkaError(e: unknown, security?: KafkaSecurity): TrackwayError | undefined {
  if (isKafkaAuthenticationError(e)) {
    return new TrackwayError(
      status.UNAVAILABLE,
      "KAFKA_AUTH_FAILED",
      `Kafka refused the credentials of ${who(security)}: check TRACKWAY_KAFKA_SASL_MECHANISM, TRACKWAY_KAFKA_SASL_USERNAME and ` +
        "TRACKWAY_KAFKA_SASL_PASSWORD_FILE (or TRACKWAY_KAFKA_SASL_PASSWORD) against the cluster's users " +
        "(kafka-configs --describe --entity-type users), and that the mechanism is in the broker's sasl.enabled.mechanisms",
      { cause: e },
    );
  }
  if (isKafkaAuthorizationError(e)) {
    return new TrackwayError(
      status.UNAVAILABLE,
      "KAFKA_NOT_AUTHORIZED",
      `Kafka's ACLs refused ${who(security)} (${kafkaErrorText(e)}): grant it the operations it needs ` +
        "(kafka-acls --add --allow-principal User:<name> …; see the README's Kafka SASL/TLS section for the list per component)",
      { cause: e },
    );
  }
  return undefined;
}
