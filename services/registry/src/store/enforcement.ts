import type { EnforcementMode } from "../core/enforcement.js";
import type { Queryable } from "./types.js";

/** The modes set for a subject (version 0) and for one of its versions; undefined where none is set. */
export async function readEnforcement(db: Queryable, subject: string, version: number): Promise<{ subject?: EnforcementMode; version?: EnforcementMode }> {
  const { rows } = await db.query("SELECT version, mode FROM registry_enforcement WHERE subject = $1 AND version IN (0, $2)", [subject, version]);
  const out: { subject?: EnforcementMode; version?: EnforcementMode } = {};
  for (const r of rows as { version: number; mode: EnforcementMode }[]) {
    if (r.version === 0) out.subject = r.mode;
    else out.version = r.mode;
  }
  return out;
}

/** Sets (or with `null` clears) the mode of a subject (version 0) or of one version. */
export async function writeEnforcement(db: Queryable, subject: string, version: number, mode: EnforcementMode | null): Promise<void> {
  if (mode === null) {
    await db.query("DELETE FROM registry_enforcement WHERE subject = $1 AND version = $2", [subject, version]);
  } else {
    await db.query(
      `INSERT INTO registry_enforcement (subject, version, mode) VALUES ($1, $2, $3)
       ON CONFLICT (subject, version) DO UPDATE SET mode = EXCLUDED.mode`,
      [subject, version, mode],
    );
  }
}
