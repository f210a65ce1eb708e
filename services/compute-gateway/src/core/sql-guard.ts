import { FlinkSQL, FlinkSqlParserListener } from "dt-sql-parser";
import { Refusal } from "./refusal.js";

type Ctx<K extends keyof FlinkSqlParserListener> = Parameters<NonNullable<FlinkSqlParserListener[K]>>[0];
type Program = ReturnType<FlinkSQL["parse"]>;

/** What kind of read-only statement passed the guard. */
export type StatementKind = "QUERY" | "SHOW" | "DESCRIBE" | "EXPLAIN";

/** A statement the guard let through. */
export interface CheckedStatement {
  kind: StatementKind;
  /** The tables and views it names (CTE names excluded), in order of appearance. */
  tables: string[];
}

/** What a statement may read. */
export interface GuardPolicy {
  /** Unqualified names of the views a caller may read (its tenant's warehouse views). */
  tables: ReadonlySet<string>;
  /** Names no identifier may contain (the session's hidden database), compared case-insensitively. */
  forbiddenNames?: readonly string[];
}

// Which SHOW forms are allowed: the ones listing what the caller may query (not jars, modules, catalogs, databases).
const SHOW_ALLOWED = ["KW_TABLES", "KW_VIEWS", "KW_COLUMNS", "KW_FUNCTIONS", "KW_CURRENT"] as const;
const READ_KEYWORDS = new Set(["SELECT", "WITH", "VALUES", "SHOW", "DESCRIBE", "DESC", "EXPLAIN", "("]);

/** `a`, `` `a.b` `` and `` `a`.`b` `` → name parts, back quotes removed (doubled ones undone). */
export function identifierParts(text: string): string[] {
  const parts: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "`" && quoted && text[i + 1] === "`") {
      cur += "`";
      i++;
    } else if (c === "`") quoted = !quoted;
    else if (c === "." && !quoted) {
      parts.push(cur);
      cur = "";
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

/**
 * The read-only gate in front of the SQL Gateway, deciding by parsing with dt-sql-parser's Flink SQL grammar,
 * never by a prefix match. It fails closed: anything but exactly one SELECT/WITH/VALUES, SHOW (tables, views,
 * columns, functions, current), DESCRIBE or EXPLAIN of a query is refused, and so is whatever the grammar
 * cannot parse (dt-sql-parser reads TRUNCATE, DELETE, UPDATE, CALL, STOP JOB… as syntax errors). Every table
 * reference must be an unqualified name of an allowed view or a CTE of the statement.
 */
export class SqlGuard {
  private readonly parser = new FlinkSQL();

  /** Parses a trivial statement so the grammar's first-use cost (about 1.5 s) is paid at startup. */
  warmUp(): void {
    this.parser.parse("SELECT a FROM t WHERE b = 'c' GROUP BY a", () => {});
  }

  /** Checks one statement; returns its kind and tables, or throws a Refusal saying why not. */
  check(sql: string, policy: GuardPolicy): CheckedStatement {
    const errors: string[] = [];
    const tree = this.parser.parse(sql, (e) => errors.push(`line ${e.startLine}:${e.startColumn} ${e.message}`));
    const tokens = this.parser.getAllTokens(sql);
    const visible = tokens.filter((t) => t.channel === 0);
    if (visible.length === 0) throw new Refusal("SQL_SYNTAX_ERROR", "the statement is empty");
    if (errors.length > 0) {
      // Still a refusal either way; the reason only tells a typo in a query from a statement we never run.
      const first = visible[0]!.text?.toUpperCase() ?? "";
      if (READ_KEYWORDS.has(first)) throw new Refusal("SQL_SYNTAX_ERROR", errors[0]!);
      throw new Refusal("STATEMENT_NOT_READ_ONLY", `"${first}" statements are not allowed`);
    }
    if (tokens.some((t) => t.channel !== 0 && t.text?.startsWith("/*+"))) {
      throw new Refusal("STATEMENT_NOT_ALLOWED", "query hints (/*+ … */) are not allowed");
    }
    const forbidden = (policy.forbiddenNames ?? []).map((f) => f.toLowerCase());
    for (const t of visible) {
      const text = (t.text ?? "").replace(/`/g, "").toLowerCase();
      if (!text.startsWith("'") && forbidden.some((f) => text.includes(f))) {
        throw new Refusal("TABLE_NOT_ALLOWED", `"${t.text}" names an internal object`);
      }
    }
    const kind = statementKind(tree, visible[0]!.text?.toUpperCase() ?? "");
    const tables = collectTables(this.parser, tree, policy);
    return { kind, tables };
  }
}

function statementKind(tree: Program, firstWord: string): StatementKind {
  const statements = tree.singleStatement().filter((s) => s.sqlStatement() !== null);
  if (statements.length !== 1) throw new Refusal("STATEMENT_NOT_READ_ONLY", `expected one statement, got ${statements.length}`);
  const s = statements[0]!.sqlStatement()!;
  const dml = s.dmlStatement();
  if (dml) {
    if (dml.queryStatement()) return "QUERY";
    throw new Refusal("STATEMENT_NOT_READ_ONLY", "INSERT statements are not allowed");
  }
  if (s.describeStatement()) return "DESCRIBE";
  const explain = s.explainStatement();
  if (explain) {
    if (explain.dmlStatement()?.queryStatement()) return "EXPLAIN";
    throw new Refusal("STATEMENT_NOT_READ_ONLY", "only EXPLAIN of a query is allowed");
  }
  const show = s.showStatement();
  if (show) {
    if (show.KW_CREATE() || !SHOW_ALLOWED.some((k) => show[k]() !== null)) {
      throw new Refusal("STATEMENT_NOT_ALLOWED", "only SHOW TABLES, VIEWS, COLUMNS, FUNCTIONS and CURRENT are allowed");
    }
    return "SHOW";
  }
  throw new Refusal("STATEMENT_NOT_READ_ONLY", `${firstWord} statements are not allowed`);
}

/** Walks the tree: every table-like reference must be an allowed view or a CTE; databases and catalogs never. */
function collectTables(parser: FlinkSQL, tree: Program, policy: GuardPolicy): string[] {
  const refs: string[][] = [];
  const ctes = new Set<string>();
  const containers: string[] = [];
  const listener = new FlinkSqlParserListener();
  const table = (ctx: { getText(): string }) => refs.push(identifierParts(ctx.getText()));
  const container = (ctx: { getText(): string }) => containers.push(ctx.getText());
  listener.enterTablePath = (ctx: Ctx<"enterTablePath">) => table(ctx);
  listener.enterViewPath = (ctx: Ctx<"enterViewPath">) => table(ctx);
  listener.enterTablePathCreate = (ctx: Ctx<"enterTablePathCreate">) => table(ctx);
  listener.enterViewPathCreate = (ctx: Ctx<"enterViewPathCreate">) => table(ctx);
  listener.enterDatabasePath = (ctx: Ctx<"enterDatabasePath">) => container(ctx);
  listener.enterDatabasePathCreate = (ctx: Ctx<"enterDatabasePathCreate">) => container(ctx);
  listener.enterCatalogPath = (ctx: Ctx<"enterCatalogPath">) => container(ctx);
  listener.enterCatalogPathCreate = (ctx: Ctx<"enterCatalogPathCreate">) => container(ctx);
  listener.enterWithItemName = (ctx: Ctx<"enterWithItemName">) => void ctes.add(identifierParts(ctx.getText()).join("."));
  // `TABLE t` inside a window function (TUMBLE(TABLE t, …)) is a table reference the grammar calls a column.
  listener.enterWindowTVFParam = (ctx: Ctx<"enterWindowTVFParam">) => {
    const col = ctx.KW_TABLE() ? ctx.timeAttrColumn() : null;
    if (col) table(col);
  };
  parser.listen(listener, tree);
  if (containers.length > 0) throw new Refusal("TABLE_NOT_ALLOWED", `databases and catalogs cannot be named ("${containers[0]}")`);
  const allowed = [...policy.tables].sort();
  const names: string[] = [];
  for (const parts of refs) {
    const name = parts.join(".");
    if (parts.length !== 1) throw new Refusal("TABLE_NOT_ALLOWED", `"${name}" is qualified; use one of: ${allowed.join(", ")}`);
    if (!policy.tables.has(name) && !ctes.has(name)) throw new Refusal("TABLE_NOT_ALLOWED", `table "${name}" is not queryable; use one of: ${allowed.join(", ")}`);
    if (!ctes.has(name)) names.push(name);
  }
  return names;
}
