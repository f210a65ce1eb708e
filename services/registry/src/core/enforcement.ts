/** What ingest does with an event that breaks its contract's protovalidate rules. */
export type EnforcementMode = "REJECT" | "WARN" | "OFF";

/** The mode when neither the version nor its subject sets one: a contract's rules are meant to hold. */
export const DEFAULT_ENFORCEMENT: EnforcementMode = "REJECT";

/** The mode in force for a version: its own, else its subject's, else the default. */
export function effectiveEnforcement(versionMode: EnforcementMode | undefined, subjectMode: EnforcementMode | undefined): EnforcementMode {
  return versionMode ?? subjectMode ?? DEFAULT_ENFORCEMENT;
}
