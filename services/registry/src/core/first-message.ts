/**
 * The fully-qualified name of the first top-level message of a .proto text, the one Confluent's
 * serializers use when a schema is registered without a message name; undefined when there is none.
 * A light scan (comments and strings skipped, braces counted), not a parser: the compiler validates the file.
 */
export function firstMessageName(source: string): string | undefined {
  // Blank out comments and string literals so that braces or keywords inside them do not count.
  const text = source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, " ");
  let pkg = "";
  let depth = 0;
  const token = /[{}]|\bpackage\s+([A-Za-z_][\w.]*)\s*;|\bmessage\s+([A-Za-z_]\w*)\s*\{/g;
  for (let m = token.exec(text); m; m = token.exec(text)) {
    if (m[0] === "{") depth++;
    else if (m[0] === "}") depth--;
    else if (m[1] !== undefined && depth === 0) pkg = m[1];
    else if (m[2] !== undefined) {
      if (depth === 0) return pkg ? `${pkg}.${m[2]}` : m[2];
      depth++; // the message's own opening brace was consumed by this match
    }
  }
  return undefined;
}
