import type { Value } from "@trackway/proto/compute/v1";
import { Refusal } from "./refusal.js";
import { bytesLiteral, decimalLiteral, doubleLiteral, integerLiteral, stringLiteral, temporalLiteral, timestampLiteral } from "./sql-literal.js";

/** The typed SQL literal of a parameter value; throws a Refusal (PARAMETER_INVALID) when it has none. */
export function valueLiteral(name: string, v: Value | undefined): string {
  const k = v?.kind;
  if (!k) throw new Refusal("PARAMETER_INVALID", `parameter :${name} has no value (set one of the Value fields)`);
  try {
    switch (k.$case) {
      case "nullValue":
        return "NULL";
      case "stringValue":
      case "jsonValue":
        return stringLiteral(k.value);
      case "intValue":
        return integerLiteral(k.value);
      case "doubleValue":
        return doubleLiteral(k.value);
      case "boolValue":
        return k.value ? "TRUE" : "FALSE";
      case "decimalValue":
        return decimalLiteral(k.value);
      case "timestampValue":
        return timestampLiteral(k.value);
      case "bytesValue":
        return bytesLiteral(k.value);
      case "temporalTextValue":
        return temporalLiteral(k.value);
    }
  } catch (e) {
    throw new Refusal("PARAMETER_INVALID", `parameter :${name}: ${(e as Error).message}`);
  }
}

/** Where `:name` placeholders are in a statement (outside strings, quoted identifiers and comments). */
export function findParameters(sql: string): { name: string; start: number; end: number }[] {
  const found: { name: string; start: number; end: number }[] = [];
  let i = 0;
  const n = sql.length;
  // Skips a quoted run (quote doubled to escape) starting at i; returns the index after it.
  const skipQuoted = (q: string) => {
    let j = i + 1;
    for (;;) {
      if (j >= n) return n;
      if (sql[j] === q) {
        if (sql[j + 1] === q) j += 2;
        else return j + 1;
      } else j++;
    }
  };
  while (i < n) {
    const c = sql[i]!;
    if (c === "'" || c === "`" || c === '"') i = skipQuoted(c);
    else if (c === "-" && sql[i + 1] === "-") {
      const nl = sql.indexOf("\n", i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === "/" && sql[i + 1] === "*") {
      const close = sql.indexOf("*/", i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === ":" && /[A-Za-z_]/.test(sql[i + 1] ?? "") && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? "")) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))!;
      found.push({ name: m[0], start: i, end: i + 1 + m[0].length });
      i += 1 + m[0].length;
    } else i++;
  }
  return found;
}

/**
 * Replaces each `:name` placeholder with the typed literal of its value. Values never become SQL text other
 * than as literals (strings quoted and escaped), so they cannot change the statement. A placeholder without a
 * value, or a value no placeholder uses, is refused (PARAMETER_INVALID): both are caller mistakes.
 */
export function bindParameters(sql: string, values: Readonly<Record<string, Value>>): string {
  const params = findParameters(sql);
  const used = new Set(params.map((p) => p.name));
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length > 0) throw new Refusal("PARAMETER_INVALID", `parameters not used by the statement: ${unused.map((u) => `:${u}`).join(", ")}`);
  let out = "";
  let at = 0;
  for (const p of params) {
    if (!Object.hasOwn(values, p.name)) throw new Refusal("PARAMETER_INVALID", `parameter :${p.name} has no value`);
    out += sql.slice(at, p.start) + valueLiteral(p.name, values[p.name]);
    at = p.end;
  }
  return out + sql.slice(at);
}
