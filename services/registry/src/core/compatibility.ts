import { schemaModel } from "./breaking/build-model.js";
import { enumRules } from "./breaking/enum-rules.js";
import { fieldRules } from "./breaking/field-rules.js";
import { fileAndServiceRules } from "./breaking/file-service-rules.js";
import { sameFingerprint } from "./breaking/fingerprint.js";
import { messageRules } from "./breaking/message-rules.js";
import type { SchemaFiles } from "./breaking/model.js";
import { sortViolations, type Report, type Violation } from "./breaking/violation.js";

export type { SchemaFiles } from "./breaking/model.js";
export { WIRE_JSON_RULES, type RuleId, type Violation } from "./breaking/violation.js";

/**
 * The changes from `previous` to `next` that `buf breaking <next> --against <previous>` reports under the WIRE_JSON
 * category, over the files each side owns (see SchemaFiles). Pure; models are cached per registry, and identical
 * inputs (same descriptor bytes) short-cut to no violation.
 */
export function breakingChanges(next: SchemaFiles, previous: SchemaFiles): Violation[] {
  const cur = schemaModel(next);
  const prev = schemaModel(previous);
  if (sameFingerprint(cur.fingerprint, prev.fingerprint)) return [];
  const out: Violation[] = [];
  const report: Report = (rule, path, file, message) => out.push({ rule, path, message, file });
  fileAndServiceRules(cur, prev, report);
  messageRules(cur, prev, report);
  fieldRules(cur, prev, report);
  enumRules(cur, prev, report);
  return sortViolations(out);
}

/** Confluent Schema Registry's compatibility modes. */
export const COMPATIBILITY_MODES = [
  "NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE",
] as const;

/** A compatibility mode, with Confluent's meaning of which versions are compared. */
export type CompatibilityMode = (typeof COMPATIBILITY_MODES)[number];

/** Whether a string names a compatibility mode (for validating requests and config). */
export function isCompatibilityMode(s: string): s is CompatibilityMode {
  return (COMPATIBILITY_MODES as readonly string[]).includes(s);
}

/** A registered version of a subject. */
export interface SchemaVersion {
  version: number;
  schema: SchemaFiles;
}

/** The verdict of checkCompatibility. */
export interface CompatibilityResult {
  compatible: boolean;
  violations: Violation[];
  /** More violations exist than `maxViolations` let through (the verdict is exact either way). */
  truncated?: boolean;
}

/** Options of checkCompatibility. */
export interface CheckOptions {
  /**
   * Stop collecting after this many violations: a change that breaks every one of a thousand versions would
   * otherwise build a thousand copies of each violation. @default 1000
   */
  maxViolations?: number;
}

/**
 * Rules that, read in the FORWARD direction (old version as the "new" side), would only say that the candidate
 * ADDED a field, enum value or reservation. Old readers skip unknown fields and keep unknown enum numbers, so an
 * addition is forward compatible, as in Confluent's Protobuf checker; without this, FULL modes could never gain
 * a field. Deletions are still caught: they break BACKWARD, and FULL includes BACKWARD.
 */
const ADDITION_ONLY_IN_FORWARD = new Set<string>([
  "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
  "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
  "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
  "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
  "RESERVED_ENUM_NO_DELETE",
  "RESERVED_MESSAGE_NO_DELETE",
]);

/** The candidate's violations as a reader of the old version's data would see them (additions left out). */
export function forwardChanges(candidate: SchemaFiles, old: SchemaFiles): Violation[] {
  return breakingChanges(old, candidate).filter((v) => !ADDITION_ONLY_IN_FORWARD.has(v.rule));
}

/**
 * Checks a candidate against a subject's history (oldest first) the way Confluent does: BACKWARD compares with the
 * latest version as breakingChanges(candidate, latest) (exactly `buf breaking` WIRE_JSON), FORWARD the other way
 * round minus additions (forwardChanges), FULL both, *_TRANSITIVE against every version, NONE nothing. Each
 * violation carries `againstVersion` and `direction`; latest versions come first.
 */
export function checkCompatibility(
  mode: CompatibilityMode,
  history: readonly SchemaVersion[],
  candidate: SchemaFiles,
  options: CheckOptions = {},
): CompatibilityResult {
  if (!isCompatibilityMode(mode)) throw new RangeError(`unknown compatibility mode "${String(mode)}"`);
  const max = options.maxViolations ?? 1000;
  if (mode === "NONE" || history.length === 0) return { compatible: true, violations: [] };
  const against = mode.endsWith("_TRANSITIVE") ? [...history].reverse() : history.slice(-1);
  const backward = mode.startsWith("BACKWARD") || mode.startsWith("FULL");
  const forward = mode.startsWith("FORWARD") || mode.startsWith("FULL");

  // Histories often repeat a schema (re-registrations, reverts): compare each distinct one once.
  const seen = new Map<string, { schema: SchemaFiles; backward: Violation[]; forward: Violation[] }[]>();
  const violations: Violation[] = [];
  for (const { version, schema } of against) {
    const fp = schemaModel(schema).fingerprint;
    const bucket = seen.get(fp.hash) ?? [];
    let found = bucket.find((b) => sameFingerprint(schemaModel(b.schema).fingerprint, fp));
    if (!found) {
      found = {
        schema,
        backward: backward ? breakingChanges(candidate, schema) : [],
        forward: forward ? forwardChanges(candidate, schema) : [],
      };
      bucket.push(found);
      seen.set(fp.hash, bucket);
    }
    const tagged: Violation[] = [
      ...found.backward.map((v) => ({ ...v, againstVersion: version, direction: "BACKWARD" as const })),
      ...found.forward.map((v) => ({ ...v, againstVersion: version, direction: "FORWARD" as const })),
    ];
    if (violations.length + tagged.length > max) {
      violations.push(...tagged.slice(0, Math.max(0, max - violations.length)));
      return { compatible: false, violations, truncated: true };
    }
    violations.push(...tagged);
  }
  return { compatible: violations.length === 0, violations };
}
