import { rootCause } from "./root-cause.js";

/** Base of the errors of the Flink clients: a stable UPPER_SNAKE `reason`, the HTTP status and Flink's full `details`. */
export class FlinkClientError extends Error {
  override name = "FlinkClientError";
  constructor(
    readonly reason: "SQL_GATEWAY_ERROR" | "FLINK_REST_ERROR" | "FLINK_UNREACHABLE",
    /** HTTP status of Flink's answer (0 when there was none). */
    readonly status: number,
    message: string,
    /** Flink's whole error text (often a Java trace); log it, do not send it to callers. */
    readonly details: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Flink's root cause: the deepest `Caused by:` of `details`, else the message. */
  get rootCause(): string {
    return this.details ? rootCause(this.details) : this.message;
  }
}

/** Thrown when the SQL Gateway answers a request with an error status. */
export class SqlGatewayError extends FlinkClientError {
  override name = "SqlGatewayError";
  constructor(status: number, message: string, details: string) {
    super("SQL_GATEWAY_ERROR", status, message, details);
  }
}

/** Thrown when the Flink REST API answers a request with an error status. */
export class FlinkRestError extends FlinkClientError {
  override name = "FlinkRestError";
  constructor(status: number, message: string, details: string) {
    super("FLINK_REST_ERROR", status, message, details);
  }
}

/** Thrown when the SQL Gateway or the Flink REST API cannot be reached at all (connection refused, DNS, reset). */
export class FlinkUnreachableError extends FlinkClientError {
  override name = "FlinkUnreachableError";
  constructor(
    readonly baseUrl: string,
    cause: unknown,
  ) {
    super("FLINK_UNREACHABLE", 0, `${baseUrl} is unreachable`, "", { cause });
  }
}

/** Whether a value is one of this package's errors. */
export const isFlinkClientError = (e: unknown): e is FlinkClientError => e instanceof FlinkClientError;
