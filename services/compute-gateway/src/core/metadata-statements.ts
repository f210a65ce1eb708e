import { Refusal } from "./refusal.js";

const NAME = "(?:[A-Za-z_][A-Za-z0-9_]*|`[A-Za-z_][A-Za-z0-9_]*`)";
const PATTERN = "(?:\\s+(?:NOT\\s+)?I?LIKE\\s+'[A-Za-z0-9_%. -]*')?";
const END = "\\s*;?\\s*$";
const SHOW = [
  new RegExp(`^\\s*SHOW\\s+(?:TABLES|VIEWS|FUNCTIONS|USER\\s+FUNCTIONS)${PATTERN}${END}`, "i"),
  new RegExp(`^\\s*SHOW\\s+CURRENT\\s+(?:CATALOG|DATABASE)${END}`, "i"),
];
const COLUMNS = new RegExp(`^\\s*SHOW\\s+COLUMNS\\s+(?:FROM|IN)\\s+(${NAME})${PATTERN}${END}`, "i");
const DESCRIBE = new RegExp(`^\\s*DESC(?:RIBE)?\\s+(${NAME})${END}`, "i");
const EXPLAIN = /^\s*EXPLAIN\s+(?:PLAN\s+FOR\s+|(?:(?:ESTIMATED_COST|CHANGELOG_MODE|JSON_EXECUTION_PLAN)\s*,\s*)*(?:ESTIMATED_COST|CHANGELOG_MODE|JSON_EXECUTION_PLAN)\s+)?/i;

const unquote = (name: string) => name.replace(/`/g, "");

/**
 * Checks a SHOW or DESCRIBE statement against a closed list of forms that name no table but an allowed view and
 * carry no free text (a LIKE pattern of plain characters at most): these have no plan to verify, so their whole
 * text must be one no parser can read another way.
 */
export function checkMetadataStatement(sql: string, views: ReadonlySet<string>): void {
  if (SHOW.some((r) => r.test(sql))) return;
  const m = COLUMNS.exec(sql) ?? DESCRIBE.exec(sql);
  if (!m) {
    throw new Refusal("STATEMENT_NOT_ALLOWED", "allowed: SHOW TABLES|VIEWS|FUNCTIONS [LIKE 'pattern'], SHOW CURRENT CATALOG|DATABASE, SHOW COLUMNS FROM <view>, DESCRIBE <view>");
  }
  const name = unquote(m[1]!);
  if (!views.has(name)) throw new Refusal("TABLE_NOT_ALLOWED", `"${name}" is not one of your views; ListTables shows them`);
}

/** Splits `EXPLAIN [details] <query>` into its EXPLAIN prefix and the query; refuses other EXPLAIN forms. */
export function splitExplain(sql: string): { prefix: string; query: string } {
  const m = EXPLAIN.exec(sql);
  if (!m) throw new Refusal("STATEMENT_NOT_ALLOWED", "only EXPLAIN [PLAN FOR | ESTIMATED_COST, CHANGELOG_MODE, JSON_EXECUTION_PLAN] <query> is allowed");
  return { prefix: m[0], query: sql.slice(m[0].length) };
}
