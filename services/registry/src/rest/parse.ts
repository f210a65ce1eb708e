import type { SchemaRef } from "../core/fingerprint.js";
import { invalidArgument, versionInvalid } from "../errors.js";
import type { VersionSelector } from "../operations/read-versions.js";

/** A version path segment: 1…2^31-1, or `latest` / `-1` (Confluent's spellings of the newest). */
export function parseVersion(given: string): Exclude<VersionSelector, "prefer-active"> {
  if (given === "latest" || given === "-1") return "latest";
  if (!/^\d{1,10}$/.test(given)) throw versionInvalid(given);
  const n = Number(given);
  if (n < 1 || n > 2_147_483_647) throw versionInvalid(given);
  return n;
}

/** A schema id path segment. */
export function parseId(given: string): number {
  return /^\d{1,15}$/.test(given) ? Number(given) : 0;
}

/** A boolean query parameter (`?verbose=true`). */
export const flag = (q: URLSearchParams, name: string): boolean => (q.get(name) ?? "").toLowerCase() === "true";

/** The schema of a Confluent register/lookup/compatibility body; only PROTOBUF is accepted. */
export function schemaBody(body: Record<string, unknown>): { schema: string; references: SchemaRef[] } {
  const type = body.schemaType ?? "AVRO";
  if (type !== "PROTOBUF") {
    throw invalidArgument("SCHEMA_TYPE_UNSUPPORTED", `schemaType ${String(type)} is not supported: this registry stores PROTOBUF schemas only`);
  }
  if (typeof body.schema !== "string" || body.schema.trim() === "") throw invalidArgument("SCHEMA_INVALID", "Empty schema");
  const refs = body.references ?? [];
  if (!Array.isArray(refs)) throw invalidArgument("REFERENCE_INVALID", "references must be a list of {name, subject, version}");
  const references = refs.map((r: unknown) => {
    const x = (r ?? {}) as Record<string, unknown>;
    if (typeof x.name !== "string" || typeof x.subject !== "string" || typeof x.version !== "number") {
      throw invalidArgument("REFERENCE_INVALID", `a reference needs name, subject and version; got ${JSON.stringify(r)}`);
    }
    return { name: x.name, subject: x.subject, version: x.version };
  });
  return { schema: body.schema, references };
}

/**
 * The id and version a register body gives for IMPORT mode (Confluent's `id` and `version`); a missing or
 * negative value (Confluent's -1) means none. Other values are refused as 42201.
 */
export function importTarget(body: Record<string, unknown>): { id?: number; version?: number } {
  const pick = (name: "id" | "version") => {
    const v = body[name];
    if (v === undefined || v === null || (typeof v === "number" && v < 0)) return undefined;
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v === 0 || v > 2_147_483_647) {
      throw invalidArgument("SCHEMA_INVALID", `${name} must be a positive integer; got ${JSON.stringify(v)}`);
    }
    return v;
  };
  const id = pick("id");
  const version = pick("version");
  return { ...(id !== undefined ? { id } : {}), ...(version !== undefined ? { version } : {}) };
}
