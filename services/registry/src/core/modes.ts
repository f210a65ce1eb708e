/** Compatibility modes, with Confluent Schema Registry's names and meaning. */
export const COMPATIBILITY_MODES = [
  "NONE",
  "BACKWARD",
  "BACKWARD_TRANSITIVE",
  "FORWARD",
  "FORWARD_TRANSITIVE",
  "FULL",
  "FULL_TRANSITIVE",
] as const;

/** One compatibility mode (same union as core/compatibility's CompatibilityMode). */
export type Mode = (typeof COMPATIBILITY_MODES)[number];

/** The mode for a name in any letter case (`backward` as Confluent clients send it), or undefined. */
export function parseMode(name: string): Mode | undefined {
  const upper = name.trim().toUpperCase();
  return (COMPATIBILITY_MODES as readonly string[]).includes(upper) ? (upper as Mode) : undefined;
}

/** Whether a mode compares a new schema with every earlier version rather than with the latest only. */
export const isTransitive = (mode: Mode): boolean => mode.endsWith("_TRANSITIVE");

/**
 * The versions a mode compares a candidate with, oldest first: none for NONE, the latest for the plain
 * modes, all of them for the transitive ones (Confluent's meaning).
 */
export function versionsToCompare<T>(mode: Mode, historyOldestFirst: readonly T[]): T[] {
  if (mode === "NONE" || historyOldestFirst.length === 0) return [];
  return isTransitive(mode) ? [...historyOldestFirst] : [historyOldestFirst[historyOldestFirst.length - 1]!];
}
