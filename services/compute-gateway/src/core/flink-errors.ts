/** How a failure reported by the SQL Gateway or Flink should reach the caller. */
export interface ClassifiedError {
  /** `invalid`: the statement itself is wrong; `session-lost`: the gateway forgot the session; `flink`: anything else. */
  kind: "invalid" | "session-lost" | "flink";
  /** Flink's root-cause message: the deepest `Caused by:` line (its first line), never a stack trace. */
  message: string;
}

const MAX = 1000;

/** The deepest `Caused by:` of a Java trace (first line only), else the trace's first line; at most 1000 characters. */
export function rootCause(trace: string): string {
  const lines = trace.replace(/^Internal server error\.\n?/, "").replace(/^<Exception on server side:\n?/, "").split("\n");
  const causes = lines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith("Caused by: "));
  let line: string;
  if (causes.length > 0) {
    const [last, at] = causes[causes.length - 1]!;
    line = last.slice("Caused by: ".length);
    // A cause's message may span lines (Flink lists table options under it): keep them until the stack starts.
    for (let i = at + 1; i < lines.length && !/^\s+at |^\s*\.\.\. \d+ more/.test(lines[i]!); i++) {
      if (lines[i]!.trim()) line += ` ${lines[i]!.trim()}`;
    }
  } else line = lines.find((l) => l.trim()) ?? trace;
  return line.length > MAX ? `${line.slice(0, MAX)}…` : line;
}

// Exceptions Flink throws for a statement that cannot be planned: the caller's mistake, not Flink's failure.
const INVALID = /^(org\.apache\.flink\.table\.api\.(ValidationException|SqlParserException)|org\.apache\.flink\.sql\.parser\.impl\.ParseException|org\.apache\.calcite\.\S+(ValidatorException|ContextException))/;

/** Classifies a SQL Gateway error trace (SqlGatewayError.details). */
export function classifyGatewayError(details: string): ClassifiedError {
  const message = rootCause(details);
  if (/Session '[^']*' does not exist/.test(details)) return { kind: "session-lost", message };
  return { kind: INVALID.test(message) ? "invalid" : "flink", message };
}
