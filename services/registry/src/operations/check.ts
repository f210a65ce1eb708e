import { versionsToCompare, type Mode } from "../core/modes.js";
import { subjectNotFound, versionNotFound, type ViolationInfo } from "../errors.js";
import type { RegistryDeps } from "./deps.js";
import { readRules } from "../core/rules/read-rules.js";
import { ruleChanges, type RuleChange } from "../core/rules/rule-changes.js";
import { loadCompiled } from "./load-compiled.js";
import { prepareCandidate, type CandidateInput } from "./prepare-candidate.js";

/** A compatibility check request. */
export interface CheckInput extends CandidateInput {
  /** Compare with this version only; 0 or undefined: the versions the mode names. */
  version?: number;
  /** `latest`: compare with the newest live version only (Confluent's `/versions/latest`). */
  latestOnly?: boolean;
  /** Mode to apply instead of the subject's. */
  mode?: Mode;
  /** An unknown subject is compatible (nothing to compare with) instead of SUBJECT_NOT_FOUND. */
  unknownSubjectIsCompatible?: boolean;
}

/** The verdict of a check. */
export interface CheckResult {
  compatible: boolean;
  violations: ViolationInfo[];
  mode: Mode;
  /** How the candidate's protovalidate rules differ from the latest live version's. */
  ruleChanges: RuleChange[];
  /** The candidate compiled (its descriptor set and properties message), to try it on data before registering it. */
  candidate: { descriptorSet: Uint8Array; messageName: string };
}

/** Checks a schema against a subject's live versions without writing anything. */
export async function checkSchema(deps: RegistryDeps, input: CheckInput): Promise<CheckResult> {
  const candidate = await prepareCandidate(deps, input);
  const compiled = { descriptorSet: candidate.compiled.descriptorSet, messageName: candidate.compiled.messageName };
  const subject = await deps.reads.subject(input.subject);
  const mode = input.mode ?? subject?.compatibility ?? (await deps.reads.globalCompatibility());
  if (!subject) {
    if (input.unknownSubjectIsCompatible && !input.version) return { compatible: true, violations: [], mode, ruleChanges: [], candidate: compiled };
    throw input.version ? versionNotFound(input.subject, input.version) : subjectNotFound(input.subject);
  }
  const heads = await deps.reads.heads(input.subject);
  let compared = heads;
  if (input.version) {
    compared = heads.filter((h) => h.version === input.version);
    if (compared.length === 0) throw versionNotFound(input.subject, input.version);
  } else if (input.latestOnly) {
    compared = heads.slice(-1);
  }
  // A single named version is compared under the mode's direction; the mode picks versions only when none is named.
  const selected = input.version || input.latestOnly ? (mode === "NONE" ? [] : compared) : versionsToCompare(mode, compared);
  const history = await loadCompiled(deps.reads, deps.compiled, input.subject, selected);
  const verdict = deps.check(mode, history, candidate.compiled);
  const [latest] = heads.length > 0 ? await loadCompiled(deps.reads, deps.compiled, input.subject, heads.slice(-1)) : [];
  const rules = latest ? ruleChanges(readRules(latest.schema.message), readRules(candidate.compiled.message)) : [];
  return { compatible: verdict.compatible, violations: verdict.violations, mode, ruleChanges: rules, candidate: compiled };
}
