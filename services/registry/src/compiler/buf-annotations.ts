/** One problem buf reports with `--error-format json` (compile errors and breaking-change violations alike). */
export interface BufAnnotation {
  path: string;
  start_line: number;
  start_column: number;
  end_line?: number;
  end_column?: number;
  /** "COMPILE" for compiler errors, the rule id for lint and breaking violations. */
  type: string;
  message: string;
}

/**
 * The annotations in buf's JSON-lines output (`buf build` prints them on stderr, `buf breaking` on stdout);
 * other lines (warnings, failures) are skipped.
 */
export function parseBufAnnotations(output: string): BufAnnotation[] {
  const out: BufAnnotation[] = [];
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const a = JSON.parse(line) as Partial<BufAnnotation>;
      if (typeof a.type === "string" && typeof a.message === "string") {
        out.push({ path: "", start_line: 0, start_column: 0, ...a } as BufAnnotation);
      }
    } catch {
      // Not an annotation: buf logs free text too.
    }
  }
  return out;
}

/** An annotation as buf prints it in text form: `file:line:column:message`. */
export function formatBufAnnotation(a: BufAnnotation): string {
  return a.path ? `${a.path}:${a.start_line}:${a.start_column}:${a.message}` : a.message;
}
