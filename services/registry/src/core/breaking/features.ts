import type { FeatureSet } from "@bufbuild/protobuf/wkt";

/** Which feature defaults apply: proto2 and proto3 fix them, editions files start from the edition's defaults. */
export type Syntax = "proto2" | "proto3" | "editions";

/** The syntax a file's `syntax` field declares (empty means proto2, as protoc reads it). */
export function syntaxOf(syntax: string): Syntax {
  return syntax === "proto3" ? "proto3" : syntax === "editions" ? "editions" : "proto2";
}

type FeatureName = "jsonFormat" | "fieldPresence" | "messageEncoding";

// Enum numbers of google.protobuf.FeatureSet; spelled out so the core depends on numbers, not generated names.
export const JSON_ALLOW = 1;
export const PRESENCE_EXPLICIT = 1;
export const PRESENCE_IMPLICIT = 2;
export const PRESENCE_LEGACY_REQUIRED = 3;
export const ENCODING_DELIMITED = 2;

const DEFAULTS: Record<Syntax, Record<FeatureName, number>> = {
  proto2: { jsonFormat: 2, fieldPresence: PRESENCE_EXPLICIT, messageEncoding: 1 },
  proto3: { jsonFormat: JSON_ALLOW, fieldPresence: PRESENCE_IMPLICIT, messageEncoding: 1 },
  // Editions 2023 and 2024 share these defaults.
  editions: { jsonFormat: JSON_ALLOW, fieldPresence: PRESENCE_EXPLICIT, messageEncoding: 1 },
};

/**
 * Resolves a feature the way protoc does: the innermost element that sets it wins, else the file's default.
 * `chain` lists the `features` of the file, enclosing messages and the element itself, outermost first.
 */
export function resolveFeature(syntax: Syntax, chain: readonly (FeatureSet | undefined)[], name: FeatureName): number {
  // proto2/proto3 files cannot set features; their values are fixed by the syntax.
  if (syntax !== "editions") return DEFAULTS[syntax][name];
  for (let i = chain.length - 1; i >= 0; i--) {
    const v = chain[i]?.[name];
    if (v) return v;
  }
  return DEFAULTS.editions[name];
}
