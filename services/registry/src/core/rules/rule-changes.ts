import { PII_RULE, type RuleSet } from "./read-rules.js";

/** One difference in a contract's rules between the current version and a candidate. */
export interface RuleChange {
  /** The field path (`total.units`) or `(message)` for a message's own rules. */
  path: string;
  /** The rule, e.g. `int64.gte`, `string.email`, `cel`; `trackway.pii` for a field's personal-data policy. */
  rule: string;
  kind: "ADDED" | "REMOVED" | "CHANGED";
  /** JSON text of the value before / after; empty when absent. */
  before: string;
  after: string;
  /**
   * Whether the change can reject events the current version accepts: an added rule, a raised lower bound, a
   * lowered upper bound, a rule turned on, or any other change that cannot be shown to loosen (a new pattern,
   * a changed CEL expression). Owners see these before they reject traffic, like breaking changes. A PII policy
   * change never rejects an event (it changes what is stored), so it does not tighten.
   */
  tightens: boolean;
}

const LOWER = /(^|\.)(gte|gt|min_len|min_bytes|min_items|min_pairs|len|len_bytes)$/;
const UPPER = /(^|\.)(lte|lt|max_len|max_bytes|max_items|max_pairs)$/;

const num = (json: string): number | undefined => {
  const v = JSON.parse(json) as unknown;
  const n = typeof v === "string" || typeof v === "number" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** Whether changing a rule from `before` to `after` can reject an event that passed before. */
function tightens(rule: string, before: string, after: string): boolean {
  if (rule === PII_RULE) return false;
  const b = num(before);
  const a = num(after);
  if (b !== undefined && a !== undefined && !/(^|\.)(len|len_bytes|const)$/.test(rule)) {
    if (LOWER.test(rule)) return a > b;
    if (UPPER.test(rule)) return a < b;
  }
  if (before === "true" && after === "false") return false;
  return true;
}

/** The rule differences from `current` to `candidate`, tightening ones first, each list in path order. */
export function ruleChanges(current: RuleSet, candidate: RuleSet): RuleChange[] {
  const out: RuleChange[] = [];
  const paths = [...new Set([...current.keys(), ...candidate.keys()])].sort();
  for (const path of paths) {
    const was = current.get(path) ?? new Map<string, string>();
    const now = candidate.get(path) ?? new Map<string, string>();
    for (const rule of [...new Set([...was.keys(), ...now.keys()])].sort()) {
      const before = was.get(rule);
      const after = now.get(rule);
      if (before === after) continue;
      if (before === undefined) out.push({ path, rule, kind: "ADDED", before: "", after: after!, tightens: rule !== PII_RULE && after !== "false" });
      else if (after === undefined) out.push({ path, rule, kind: "REMOVED", before, after: "", tightens: false });
      else out.push({ path, rule, kind: "CHANGED", before, after, tightens: tightens(rule, before, after) });
    }
  }
  return [...out.filter((c) => c.tightens), ...out.filter((c) => !c.tightens)];
}
