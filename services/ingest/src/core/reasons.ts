/**
 * Why ingest rejects an event. Stable, machine-readable codes: they appear in `BatchResult.rejections`,
 * on the rejected-events topic and in the `trackway_ingest_events_rejected_total{reason}` metric.
 */
export const RejectionReason = {
  /** The event's bytes are not a valid `trackway.event.v1.Event`. */
  EVENT_MALFORMED: "EVENT_MALFORMED",
  /** A header string (of the event or the batch's common header) is not valid UTF-8. */
  INVALID_UTF8: "INVALID_UTF8",
  /** `event_time` or `sent_at` is outside 1970..9999, or the corrected event time is older than accepted (see event-time.ts). */
  EVENT_TIME_OUT_OF_RANGE: "EVENT_TIME_OUT_OF_RANGE",
  /** The event's encoded size is above the per-event limit. */
  EVENT_TOO_LARGE: "EVENT_TOO_LARGE",
  /** The merged header has no `event_id`. */
  EVENT_ID_MISSING: "EVENT_ID_MISSING",
  /** The `event_id` is longer than 128 characters or holds control characters. */
  EVENT_ID_INVALID: "EVENT_ID_INVALID",
  /** The merged header has no `event_name`. */
  EVENT_NAME_MISSING: "EVENT_NAME_MISSING",
  /** The `event_name` is not lowercase words separated by `.` or `_` (so it cannot be a subject). */
  EVENT_NAME_INVALID: "EVENT_NAME_INVALID",
  /** The API key may only send other event names. */
  EVENT_NOT_ALLOWED: "EVENT_NOT_ALLOWED",
  /** The event type's owner restricts sending it to other tenants (the registry's send grants). */
  EVENT_TYPE_NOT_GRANTED: "EVENT_TYPE_NOT_GRANTED",
  /** No subject of that name is registered. */
  UNKNOWN_EVENT: "UNKNOWN_EVENT",
  /** The subject exists but not at that version. */
  UNKNOWN_SCHEMA_VERSION: "UNKNOWN_SCHEMA_VERSION",
  /** The schema version is disabled in the registry. */
  SCHEMA_VERSION_DISABLED: "SCHEMA_VERSION_DISABLED",
  /** The properties do not decode with the version's message type. */
  PROPERTIES_INVALID: "PROPERTIES_INVALID",
  /** The properties decode but carry field numbers the version does not declare. */
  PROPERTIES_UNKNOWN_FIELDS: "PROPERTIES_UNKNOWN_FIELDS",
  /** The properties break their contract's protovalidate rules and the enforcement is REJECT. */
  CONTRACT_VIOLATION: "CONTRACT_VIOLATION",
  /**
   * The event's user_id is on the tenant's suppression list (a deletion request): the event is not stored; its
   * rejected record keeps neither the original bytes nor the user's id.
   */
  USER_SUPPRESSED: "USER_SUPPRESSED",
} as const;

/** One of the rejection reasons. */
export type RejectionReason = (typeof RejectionReason)[keyof typeof RejectionReason];

/** Why an accepted event deserves attention. */
export const WarningReason = {
  /** The schema version is deprecated: accepted, but its producers should move on. */
  SCHEMA_VERSION_DEPRECATED: "SCHEMA_VERSION_DEPRECATED",
  /** The corrected event time lay too far in the future and was replaced by the receive time (see event-time.ts). */
  EVENT_TIME_CLAMPED: "EVENT_TIME_CLAMPED",
  /** The properties break their contract's protovalidate rules and the enforcement is WARN. */
  CONTRACT_VIOLATION: "CONTRACT_VIOLATION",
} as const;

/** One of the warning reasons. */
export type WarningReason = (typeof WarningReason)[keyof typeof WarningReason];
