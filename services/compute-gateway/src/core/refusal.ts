/** Reasons a request is refused before anything runs; each becomes INVALID_ARGUMENT with that reason. */
export type RefusalReason =
  | "STATEMENT_NOT_READ_ONLY"
  | "STATEMENT_NOT_ALLOWED"
  | "SQL_SYNTAX_ERROR"
  | "TABLE_NOT_ALLOWED"
  | "PARAMETER_INVALID"
  | "ARGUMENT_INVALID"
  | "STATEMENT_AMBIGUOUS"
  | "STATEMENT_TOO_LARGE"
  | "QUERY_TOO_COMPLEX"
  | "PLAN_NOT_ALLOWED";

/** Thrown by the pure core when a caller's input cannot be run; the handlers turn it into a gRPC status. */
export class Refusal extends Error {
  override name = "Refusal";
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }
}

/** Whether a value is a Refusal. */
export function isRefusal(e: unknown): e is Refusal {
  return e instanceof Refusal;
}
