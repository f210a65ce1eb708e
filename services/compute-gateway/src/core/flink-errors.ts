import { rootCause } from "@trackway/flink";

/** How a failure reported by the SQL Gateway or Flink should reach the caller. */
export interface ClassifiedError {
  /** `invalid`: the statement itself is wrong; `session-lost`: the gateway forgot the session; `flink`: anything else. */
  kind: "invalid" | "session-lost" | "flink";
  /** Flink's root-cause message: the deepest `Caused by:` line (its first line), never a stack trace. */
  message: string;
}


// Exceptions Flink throws for a statement that cannot be planned: the caller's mistake, not Flink's failure.
const INVALID = /^(org\.apache\.flink\.table\.api\.(ValidationException|SqlParserException)|org\.apache\.flink\.sql\.parser\.impl\.ParseException|org\.apache\.calcite\.\S+(ValidatorException|ContextException))/;

/** Classifies a SQL Gateway error trace (SqlGatewayError.details). */
export function classifyGatewayError(details: string): ClassifiedError {
  const message = rootCause(details);
  if (/Session '[^']*' does not exist/.test(details)) return { kind: "session-lost", message };
  return { kind: INVALID.test(message) ? "invalid" : "flink", message };
}
