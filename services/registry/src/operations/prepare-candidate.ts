import type { CompiledSchema, ProtoSource } from "../compiler/index.js";
import { findFile } from "../compiler/index.js";
import { schemaText } from "../compiler/schema-text.js";
import { schemaFingerprint, type SchemaRef } from "../core/fingerprint.js";
import { firstMessageName } from "../core/first-message.js";
import { subjectFileName, subjectNameProblem } from "../core/subject-name.js";
import { invalidArgument, referenceInvalid, subjectInvalid } from "../errors.js";
import type { RegistryReads } from "../store/reads.js";
import type { RegistryDeps } from "./deps.js";

/** A schema as a caller submits it, before compiling. */
export interface CandidateInput {
  subject: string;
  protoSource: string;
  /** Fully-qualified properties message; empty: the file's only message (or, with `firstMessage`, its first). */
  messageName?: string;
  references?: SchemaRef[];
  /** File name to compile under; empty: `<subject>.proto`. */
  fileName?: string;
  /** Confluent's rule for a schema given without a message name: its first top-level message. */
  firstMessage?: boolean;
  /** Confluent's `?normalize=true`: the schema's identity ignores the order of its imports. */
  normalize?: boolean;
}

/** A compiled candidate and its identity. */
export interface Candidate {
  subject: string;
  protoSource: string;
  compiled: CompiledSchema;
  refs: SchemaRef[];
  fingerprint: Uint8Array;
}

// References imported through references: bounded so a cycle or a huge graph cannot run away.
const MAX_IMPORTS = 200;

/** Validates, resolves references to registered sources, compiles and fingerprints a submitted schema. */
export async function prepareCandidate(deps: RegistryDeps, input: CandidateInput): Promise<Candidate> {
  const problem = subjectNameProblem(input.subject);
  if (problem) throw subjectInvalid(problem);
  if (!input.protoSource.trim()) throw invalidArgument("SCHEMA_INVALID", "invalid schema: the .proto source is empty");
  const refs = (input.references ?? []).map((r) => ({ name: r.name, subject: r.subject, version: r.version }));
  const fileName = input.fileName || subjectFileName(input.subject);
  const imports = await resolveImports(deps.reads, refs, fileName);
  const protoSource = schemaText(input.protoSource).text;
  const messageName = input.messageName || (input.firstMessage ? firstMessageName(protoSource) : undefined);
  const compiled = await deps.compile({ name: fileName, content: protoSource }, imports, messageName);
  const file = findFile(compiled.registry, compiled.fileName);
  if (!file) throw new Error(`compiled schema lacks ${compiled.fileName}`);
  return {
    subject: input.subject,
    protoSource,
    compiled,
    refs,
    fingerprint: schemaFingerprint(file, compiled.messageName, refs, input.normalize),
  };
}

/** The sources of every referenced version and, transitively, of what they reference, each import path once. */
async function resolveImports(reads: RegistryReads, refs: readonly SchemaRef[], mainName: string): Promise<ProtoSource[]> {
  const byName = new Map<string, { content: string; from: string }>();
  const queue = [...refs];
  const visited = new Set<string>();
  while (queue.length > 0) {
    const ref = queue.shift()!;
    const at = `${ref.subject}@${ref.version}`;
    if (visited.has(`${ref.name}\0${at}`)) continue;
    visited.add(`${ref.name}\0${at}`);
    if (!ref.name || !ref.subject || !Number.isInteger(ref.version) || ref.version < 1) {
      throw referenceInvalid(`a reference needs a name (import path), a subject and a version ≥ 1; got ${JSON.stringify(ref)}`);
    }
    if (ref.name === mainName) throw referenceInvalid(`reference "${ref.name}" has the schema's own file name`);
    const seen = byName.get(ref.name);
    if (seen && seen.from === at) continue;
    const v = await reads.version(ref.subject, ref.version, true);
    if (!v) throw referenceInvalid(`reference "${ref.name}" names ${at}, which is not registered`);
    if (seen && seen.content !== v.protoSource) {
      throw referenceInvalid(`import "${ref.name}" is referenced as both ${seen.from} and ${at}, with different contents`);
    }
    // The compiler brings the well-known types itself; a registered copy (Confluent's serializers can register
    // `google/protobuf/timestamp.proto` as a subject) must not shadow them.
    if (!ref.name.startsWith("google/protobuf/")) byName.set(ref.name, { content: v.protoSource, from: at });
    if (visited.size > MAX_IMPORTS) throw referenceInvalid(`more than ${MAX_IMPORTS} imports through references`);
    queue.push(...v.refs);
  }
  return [...byName].map(([name, s]) => ({ name, content: s.content }));
}
