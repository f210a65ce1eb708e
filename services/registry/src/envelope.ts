import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { RegistryDeps } from "./operations/deps.js";
import { updateSubject } from "./operations/governance.js";
import { registerSchema } from "./operations/register.js";

/** The envelope's .proto in the repository, compiled under its own import path so `schema export` images line up with `proto/`. */
export const ENVELOPE_FILE = "trackway/event/v1/event.proto";
const envelopePath = fileURLToPath(new URL(`../../../proto/${ENVELOPE_FILE}`, import.meta.url));

/**
 * Registers the event envelope (`trackway.event.v1.Event` and its header) as a subject, so that the envelope is
 * versioned and checked like every event type. Idempotent: an unchanged envelope returns the existing version.
 * Returns the version and whether it is new.
 */
export async function registerEnvelope(deps: RegistryDeps, subject: string, source?: string): Promise<{ version: number; created: boolean }> {
  const protoSource = source ?? (await readFile(envelopePath, "utf8"));
  const r = await registerSchema(deps, {
    subject,
    protoSource,
    fileName: ENVELOPE_FILE,
    messageName: "trackway.event.v1.Event",
    author: "trackway-registry",
  });
  if (r.created && r.version.version === 1) {
    await updateSubject(deps, subject, { description: "The Trackway event envelope: the header every event carries, Event and EventBatch.", owners: ["trackway"] }, "trackway-registry");
  }
  return { version: r.version.version, created: r.created };
}
