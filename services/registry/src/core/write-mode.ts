/** Confluent's modes: what writes a subject (or the whole registry) accepts. */
export const WRITE_MODES = ["READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT"] as const;

/** One mode. */
export type WriteMode = (typeof WRITE_MODES)[number];

/** The mode for a name in any letter case, else undefined. */
export function parseWriteMode(given: string): WriteMode | undefined {
  const upper = given.toUpperCase();
  return (WRITE_MODES as readonly string[]).includes(upper) ? (upper as WriteMode) : undefined;
}

/** True when a mode refuses every change (registrations, deletes, compatibility settings). */
export const isReadOnly = (mode: WriteMode) => mode === "READONLY" || mode === "READONLY_OVERRIDE";

/**
 * Why a registration is refused under a mode, as Confluent's `checkRegisterMode`, or undefined: nothing in a
 * read-only mode; a schema with its own id only in IMPORT mode; one without an id only in READWRITE mode.
 */
export function registerRefusal(subject: string, mode: WriteMode, withId: boolean): string | undefined {
  if (isReadOnly(mode)) return `Subject ${subject} in context . is in read-only mode`;
  if (withId && mode !== "IMPORT") return `Subject ${subject} in context . is not in import mode`;
  if (!withId && mode !== "READWRITE") return `Subject ${subject} in context . is not in read-write mode`;
  return undefined;
}
