import type { DescMessage, Message, Registry } from "@bufbuild/protobuf";
import { pathToString } from "@bufbuild/protobuf/reflect";
import { createValidator, type Validator } from "@bufbuild/protovalidate";

/** What ingest does with an event that breaks its contract's rules (the registry's per subject/version mode). */
export type Enforcement = "REJECT" | "WARN" | "OFF";

/** One broken protovalidate rule: where, which rule, and the rule's message. */
export interface RuleViolation {
  /** Path within the properties, e.g. `items[0].sku`; empty for a message-level rule. */
  fieldPath: string;
  /** The rule id, e.g. `int64.gte`, `string.email`, or a CEL rule's own id. */
  ruleId: string;
  message: string;
}

/** Checks decoded properties against their contract's rules; ContractRules, or a fake in tests. */
export interface RuleCheck {
  /** Every rule `message` (of schema `schemaId`) breaks; empty when it keeps them all or has none. */
  check(schemaId: number, desc: DescMessage, message: Message, registry?: Registry): RuleViolation[];
}

/** Rule id reported when a contract's rules cannot be evaluated (a CEL expression that fails to compile or run). */
export const RULES_ERROR_ID = "trackway.rules_error";

// Bounded so a registry with very many schema ids cannot grow the cache without end.
const MAX_VALIDATORS = 10_000;

/**
 * Checks decoded properties against the `buf.validate` rules of their schema with `@bufbuild/protovalidate`.
 * One validator per global schema id (schema ids are immutable), so each contract's rules and CEL programs are
 * planned and compiled once, on first use.
 */
export class ContractRules implements RuleCheck {
  private readonly byId = new Map<number, Validator>();

  /** Every rule `message` breaks (empty when it keeps them all, or has none). */
  check(schemaId: number, desc: DescMessage, message: Message, registry?: Registry): RuleViolation[] {
    const result = this.validator(schemaId, registry).validate(desc, message);
    if (result.kind === "valid") return [];
    if (result.kind === "error") return [{ fieldPath: "", ruleId: RULES_ERROR_ID, message: `the contract's rules cannot be evaluated: ${result.error.message}` }];
    return result.violations.map((v) => ({ fieldPath: pathToString(v.field), ruleId: v.ruleId, message: v.message }));
  }

  /** Number of compiled validators held. */
  get size(): number {
    return this.byId.size;
  }

  private validator(schemaId: number, registry?: Registry): Validator {
    let v = this.byId.get(schemaId);
    if (!v) {
      if (this.byId.size >= MAX_VALIDATORS) this.byId.delete(this.byId.keys().next().value!);
      v = createValidator({ registry });
      this.byId.set(schemaId, v);
    }
    return v;
  }
}

/** One line for a person: the first violations, `field: message [rule]`. */
export function describeViolations(violations: readonly RuleViolation[]): string {
  const shown = violations.slice(0, 3).map((v) => `${v.fieldPath ? `${v.fieldPath}: ` : ""}${v.message} [${v.ruleId}]`);
  const more = violations.length > 3 ? `, and ${violations.length - 3} more` : "";
  return `the event breaks its contract's rules: ${shown.join("; ")}${more}`;
}

/** Violations as record columns (snake_case, as the rest of the Kafka JSON). */
export function violationColumns(violations: readonly RuleViolation[]): { field_path: string; rule_id: string; message: string }[] {
  return violations.map((v) => ({ field_path: v.fieldPath, rule_id: v.ruleId, message: v.message }));
}

/** A broken rule as an entry of the enriched record's `warnings`: `CONTRACT_VIOLATION:<field path>:<rule id>`. */
export function violationWarning(v: RuleViolation): string {
  return `CONTRACT_VIOLATION:${v.fieldPath}:${v.ruleId}`;
}
