import { Refusal } from "./refusal.js";

/** One node of the logical plan Flink printed: its operator, its attributes' text, its inputs and subqueries. */
export interface PlanNode {
  op: string;
  /** The node's line without the tree prefix, e.g. `LogicalFilter(condition=[=($1, _UTF-16LE'acme')])`. */
  text: string;
  children: PlanNode[];
  /** Plans of IN / EXISTS / scalar subqueries in the node's expressions (Calcite prints them in `{ … }` blocks). */
  subqueries: PlanNode[];
  parent?: PlanNode;
}

/** What a tenant's statement may scan: per hidden table, the exact filter Flink printed above it for the tenant's view. */
export interface PlanPolicy {
  /** `default_catalog` path of the hidden database, e.g. `default_catalog, trackway_base_1a2b`. */
  hiddenPath: string;
  /** Table name → the text of the LogicalFilter node Flink put above its scan when expanding the tenant's view. */
  tenantFilters: ReadonlyMap<string, string>;
}

const AST_HEADER = "== Abstract Syntax Tree ==\n";
// A line of the main tree: prefix (`:  `, `   `), branch mark (`:- `, `+- `), operator, attributes.
const TREE_LINE = /^((?:[:| ] {2}| {3})*)([:+]- )?([A-Z][A-Za-z]*)(\(.*)?$/;
// A line of a subquery block: two spaces per level, operator, attributes.
const BLOCK_LINE = /^((?: {2})*)([A-Z][A-Za-z]*)(\(.*)?$/;
// Operators that write; a read-only statement's plan has none.
const WRITERS = new Set(["LogicalSink", "LogicalLegacySink", "LogicalTableModify"]);
// Operators that read a source; only LogicalTableScan is expected (and checked), table functions read none.
const SCANS_ALLOWED = new Set(["LogicalTableScan", "LogicalTableFunctionScan"]);

const unverifiable = (why: string) => new Refusal("PLAN_NOT_ALLOWED", `the statement's plan cannot be verified (${why})`);

/** The "Abstract Syntax Tree" section of an EXPLAIN answer (Flink's logical plan, views expanded, before optimisation). */
export function astSection(explain: string): string {
  const start = explain.indexOf(AST_HEADER);
  if (start < 0) throw new Refusal("PLAN_NOT_ALLOWED", "Flink's plan of the statement has no logical plan section");
  const rest = explain.slice(start + AST_HEADER.length);
  const end = rest.indexOf("\n\n== ");
  return (end < 0 ? rest : rest.slice(0, end)).replace(/\n+$/, "");
}

interface Frame {
  /** Nodes by depth on the path to the current line. */
  stack: PlanNode[];
  roots: PlanNode[];
  /** For a subquery block: the node whose expression holds it. */
  owner?: PlanNode;
}

/**
 * Parses Flink's printed logical plan into a tree, subquery blocks included. Fails closed: a line that is not one
 * whole operator (a string value with a line break would let a statement print lines of its own), a second root,
 * a skipped level or an unclosed block is refused.
 */
export function parsePlan(ast: string): PlanNode {
  const main: Frame = { stack: [], roots: [] };
  const frames: Frame[] = [main];
  for (const line of ast.split("\n")) {
    // An odd number of quotes means a string literal spans lines: its text could pose as operators.
    if ((line.split("'").length - 1) % 2 !== 0) throw unverifiable("string values with line breaks are not accepted");
    const frame = frames[frames.length - 1]!;
    if (frame.owner && line.startsWith("}")) {
      frame.owner.text += line;
      if (frame.roots.length !== 1) throw unverifiable("a subquery block without exactly one plan");
      frame.owner.subqueries.push(frame.roots[0]!);
      frames.pop();
      if (line.endsWith("{")) frames.push({ stack: [], roots: [], owner: frame.owner });
      continue;
    }
    let depth: number;
    let op: string;
    let attrs: string | undefined;
    if (frame.owner) {
      const m = BLOCK_LINE.exec(line);
      if (!m) throw unverifiable("a line that is not an operator");
      [depth, op, attrs] = [m[1]!.length / 2, m[2]!, m[3]];
    } else {
      const m = TREE_LINE.exec(line);
      if (!m || (!m[2] && m[1] !== "")) throw unverifiable("a line that is not an operator");
      [depth, op, attrs] = [m[1]!.length / 3 + (m[2] ? 1 : 0), m[3]!, m[4]];
    }
    const opens = line.endsWith("{");
    if (attrs !== undefined && !opens && !attrs.endsWith(")")) throw unverifiable("a line that is not an operator");
    const node: PlanNode = { op, text: attrs === undefined ? op : `${op}${attrs}`, children: [], subqueries: [] };
    if (depth === 0) {
      if (frame.roots.length > 0) throw unverifiable("more than one root");
      frame.roots.push(node);
    } else {
      const parent = frame.stack[depth - 1];
      if (!parent || frame.stack.length < depth) throw unverifiable("a skipped level");
      node.parent = parent;
      parent.children.push(node);
    }
    frame.stack.length = depth;
    frame.stack.push(node);
    if (opens) frames.push({ stack: [], roots: [], owner: node });
  }
  if (frames.length !== 1) throw unverifiable("an unclosed subquery block");
  if (main.roots.length !== 1) throw new Refusal("PLAN_NOT_ALLOWED", "Flink returned an empty plan");
  return main.roots[0]!;
}

function* walk(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const q of node.subqueries) yield* walk(q);
  for (const c of node.children) yield* walk(c);
}

/** The table path of a LogicalTableScan, e.g. `default_catalog, db, ods_events`. */
const scanPath = (text: string) => /^LogicalTableScan\(table=\[\[(.*)\]\]\)$/.exec(text)?.[1];

/**
 * Verifies a tenant statement on Flink's own reading of it: the plan writes nothing, and every table it scans is
 * a warehouse table directly under exactly the tenant filter Flink printed for the tenant's own view of it. The
 * refusal never names the hidden tables.
 */
export function verifyPlan(explain: string, policy: PlanPolicy): void {
  const root = parsePlan(astSection(explain));
  for (const node of walk(root)) {
    if (WRITERS.has(node.op)) throw new Refusal("STATEMENT_NOT_READ_ONLY", "the statement writes to a table");
    if (/Scan/.test(node.op) && !SCANS_ALLOWED.has(node.op)) throw new Refusal("PLAN_NOT_ALLOWED", `the statement's plan reads through ${node.op}`);
    if (node.op !== "LogicalTableScan") continue;
    const path = scanPath(node.text);
    const prefix = `${policy.hiddenPath}, `;
    const table = path?.startsWith(prefix) ? path.slice(prefix.length) : undefined;
    const filter = table === undefined ? undefined : policy.tenantFilters.get(table);
    const parent = node.parent;
    if (filter === undefined || !parent || parent.text !== filter || parent.children.length !== 1) {
      throw new Refusal("TABLE_NOT_ALLOWED", "the statement reads a table other than through your views; query the views ListTables shows");
    }
  }
}

/** The text of the filter above the (single) scan in the plan of `SELECT * FROM <tenant view>`: the tenant predicate. */
export function tenantFilterOf(explain: string, hiddenPath: string, table: string): string {
  const root = parsePlan(astSection(explain));
  const scans = [...walk(root)].filter((n) => n.op === "LogicalTableScan");
  const parent = scans[0]?.parent;
  if (scans.length !== 1 || scanPath(scans[0]!.text) !== `${hiddenPath}, ${table}` || parent?.op !== "LogicalFilter") {
    throw new Error(`the plan of the tenant view over ${table} is not a filter over one scan`);
  }
  return parent.text;
}

/** Replaces every occurrence of a hidden name in text a tenant will see (plans, error messages). */
export function redact(text: string, hiddenNames: readonly string[]): string {
  let out = text;
  for (const name of hiddenNames) if (name) out = out.split(name).join("hidden");
  return out;
}
