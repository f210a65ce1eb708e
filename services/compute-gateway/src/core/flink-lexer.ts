import { Refusal } from "./refusal.js";

/** Bounds on a statement's shape, so that a hostile one fails here rather than exhausting the SQL Gateway. */
export interface ComplexityLimits {
  /**
   * Most operators in one statement: AND, OR, NOT and `+ - * / % ||`. 2,000 ORs made the SQL Gateway run out of
   * memory, and long operator chains make the read-only check's parse time grow with their square.
   */
  maxOperators: number;
  /** Most items in one parenthesised list, e.g. an IN list (20,000 made the planner overflow its stack). */
  maxListItems: number;
  /** Deepest nesting of parentheses. */
  maxNesting: number;
}

/** What lexing found (counts for the complexity limits). */
export interface LexSummary {
  tokens: number;
  operators: number;
  maxListItems: number;
  maxNesting: number;
}

/** Defaults that keep the 512 MB gateway far from trouble and real queries far from the limits. */
export const DEFAULT_COMPLEXITY: ComplexityLimits = { maxOperators: 500, maxListItems: 1000, maxNesting: 64 };

const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;

/**
 * Lexes a statement the way Flink's parser does (string literals escape `'` only by doubling it; `--` comments end
 * at a line end; block comments do not nest) and refuses what another lexer could read differently: a backslash
 * before a quote in a string (other SQL dialects, and dt-sql-parser, read `\'` as an escape), unicode-escape
 * literals (`U&'…'`), a block comment opening inside another, a bare CR, and anything unterminated. It also refuses
 * statements beyond the complexity limits. Linear in the statement's length.
 */
export function lexFlinkSql(sql: string, limits: ComplexityLimits = DEFAULT_COMPLEXITY): LexSummary {
  const n = sql.length;
  let i = 0;
  let tokens = 0;
  let operators = 0;
  let depth = 0;
  let maxNesting = 0;
  let maxListItems = 0;
  const items: number[] = [];
  const ambiguous = (what: string): never => {
    throw new Refusal("STATEMENT_AMBIGUOUS", `${what} (at offset ${i}); rewrite the statement without it`);
  };
  while (i < n) {
    const c = sql[i]!;
    if (c === "\r" && sql[i + 1] !== "\n") ambiguous("a bare carriage return is read as a line end by some parsers and not others");
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    tokens++;
    if (c === "'") {
      let j = i + 1;
      for (;;) {
        if (j >= n) ambiguous("an unterminated string literal");
        if (sql[j] === "'") {
          if (sql[j + 1] === "'") j += 2;
          else break;
        } else if (sql[j] === "\\" && sql[j + 1] === "'") {
          ambiguous("a backslash before a quote in a string literal (Flink only escapes a quote by doubling it)");
        } else j++;
      }
      i = j + 1;
    } else if (c === "`") {
      let j = i + 1;
      for (;;) {
        if (j >= n) ambiguous("an unterminated quoted identifier");
        if (sql[j] === "`") {
          if (sql[j + 1] === "`") j += 2;
          else break;
        } else if (sql[j] === "\n" || sql[j] === "\r") ambiguous("a line break in a quoted identifier");
        else j++;
      }
      i = j + 1;
    } else if (c === '"') {
      ambiguous('a double-quoted name (Flink quotes names with back quotes, strings with single quotes)');
    } else if (c === "-" && sql[i + 1] === "-") {
      tokens--;
      while (i < n && sql[i] !== "\n" && sql[i] !== "\r") i++;
    } else if (c === "/" && sql[i + 1] === "*") {
      tokens--;
      const close = sql.indexOf("*/", i + 2);
      if (close < 0) ambiguous("an unterminated comment");
      if (sql.slice(i + 2, close).includes("/*")) ambiguous("a comment opened inside a comment (some parsers nest them, Flink does not)");
      i = close + 2;
    } else if ((c === "U" || c === "u") && sql[i + 1] === "&") {
      ambiguous("unicode-escape literals (U&'…') are not accepted");
    } else if (c === "(") {
      depth++;
      maxNesting = Math.max(maxNesting, depth);
      items.push(1);
      i++;
    } else if (c === ")") {
      depth = Math.max(0, depth - 1);
      maxListItems = Math.max(maxListItems, items.pop() ?? 0);
      i++;
    } else if (c === ",") {
      if (items.length > 0) items[items.length - 1]!++;
      else maxListItems = Math.max(maxListItems, 0);
      i++;
    } else {
      WORD.lastIndex = i;
      const m = WORD.exec(sql);
      if (m) {
        const w = m[0].toUpperCase();
        if (w === "AND" || w === "OR" || w === "NOT") operators++;
        i += m[0].length;
      } else {
        if ("+-*/%".includes(c) || (c === "|" && sql[i + 1] === "|")) operators++;
        i += c === "|" && sql[i + 1] === "|" ? 2 : 1;
      }
    }
  }
  for (const open of items) maxListItems = Math.max(maxListItems, open);
  if (operators > limits.maxOperators) {
    throw new Refusal("QUERY_TOO_COMPLEX", `the statement has ${operators} operators (AND, OR, NOT, + - * / % ||); at most ${limits.maxOperators} are allowed`);
  }
  if (maxListItems > limits.maxListItems) {
    throw new Refusal("QUERY_TOO_COMPLEX", `a list in the statement has ${maxListItems} items; at most ${limits.maxListItems} are allowed (use a table instead)`);
  }
  if (maxNesting > limits.maxNesting) {
    throw new Refusal("QUERY_TOO_COMPLEX", `the statement nests parentheses ${maxNesting} deep; at most ${limits.maxNesting} are allowed`);
  }
  return { tokens, operators, maxListItems, maxNesting };
}
