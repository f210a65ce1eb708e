import { preferActive } from "../core/lifecycle.js";
import { schemaNotFound, subjectNotFound, versionNotFound } from "../errors.js";
import type { SubjectRecord, VersionRecord } from "../store/types.js";
import type { RegistryDeps } from "./deps.js";

/** Which version of a subject: a number, the newest, or the newest usable (ingest's version 0). */
export type VersionSelector = number | "latest" | "prefer-active";

/** A subject that exists and is not soft-deleted as a whole, else SUBJECT_NOT_FOUND. */
export async function liveSubject(deps: RegistryDeps, name: string, includeDeleted = false): Promise<SubjectRecord> {
  const s = await deps.reads.subject(name);
  if (!s || (!includeDeleted && s.allVersions > 0 && s.liveVersions === 0)) throw subjectNotFound(name);
  return s;
}

/** One version of a subject by selector; soft-deleted versions only with `includeDeleted`. */
export async function getVersion(deps: RegistryDeps, subject: string, selector: VersionSelector, includeDeleted = false): Promise<VersionRecord> {
  const s = await liveSubject(deps, subject, includeDeleted);
  let number: number;
  if (selector === "latest") {
    const heads = await deps.reads.heads(subject, includeDeleted);
    number = heads.at(-1)?.version ?? 0;
  } else if (selector === "prefer-active") {
    number = preferActive(await deps.reads.heads(subject))?.version ?? 0;
  } else {
    number = selector;
  }
  if (number === 0) throw versionNotFound(s.name, selector === "prefer-active" ? "latest" : selector);
  const v = await deps.reads.version(subject, number, includeDeleted);
  if (!v) throw versionNotFound(subject, number);
  return v;
}

/** The version that holds a global schema id's descriptor (the first registered with it), else SCHEMA_NOT_FOUND. */
export async function getBySchemaId(deps: RegistryDeps, id: number): Promise<VersionRecord> {
  const v = Number.isSafeInteger(id) && id > 0 ? await deps.reads.firstVersionOfSchema(id) : undefined;
  if (!v) throw schemaNotFound(`id ${id}`);
  return v;
}
