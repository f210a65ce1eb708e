const MAX = 1000;

/**
 * The most telling part of a Flink error trace: the deepest `Caused by:` (with the lines of its message, which
 * may list table options, up to where the stack starts), else the first non-empty line; at most 1000 characters.
 */
export function rootCause(trace: string): string {
  const lines = trace.replace(/^Internal server error\.\n?/, "").replace(/^<Exception on server side:\n?/, "").split("\n");
  const causes = lines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith("Caused by: "));
  let line: string;
  if (causes.length > 0) {
    const [last, at] = causes[causes.length - 1]!;
    line = last.slice("Caused by: ".length);
    for (let i = at + 1; i < lines.length && !/^\s+at |^\s*\.\.\. \d+ more/.test(lines[i]!); i++) {
      if (lines[i]!.trim()) line += ` ${lines[i]!.trim()}`;
    }
  } else line = lines.find((l) => l.trim()) ?? trace;
  return line.length > MAX ? `${line.slice(0, MAX)}…` : line;
}
