import type { Enforcement } from "./contract-rules.js";
import type { DescMessage, Registry } from "@bufbuild/protobuf";

/** Where a schema version is in its life, as ingest sees it. */
export type SchemaLifecycle = "active" | "deprecated" | "disabled";

/** One registered schema version, ready to decode properties with. */
export interface ResolvedSchema {
  /** Global, immutable schema id. */
  schemaId: number;
  /** The version within the subject (never 0: "latest" is resolved). */
  version: number;
  lifecycle: SchemaLifecycle;
  /** How this version's protovalidate rules are enforced; undefined is REJECT. */
  enforcement?: Enforcement;
  /** The properties message type of this version. */
  message: DescMessage;
  /** Every type of the schema's files, for `google.protobuf.Any` in the JSON mapping. */
  registry?: Registry;
}

/**
 * What ingest's core needs from the registry: a (cached) lookup of a subject's version. Implemented over the
 * registry client's schema cache in `store/`, and by an in-memory fake in tests.
 */
export interface SchemaLookup {
  /**
   * The schema of `subject` at `version` (0 = latest), `undefined` when the subject or that version does not
   * exist. Throws (a TrackwayError UNAVAILABLE) only when the registry cannot be asked.
   */
  get(subject: string, version: number): Promise<ResolvedSchema | undefined>;
  /** Whether the subject exists at all; asked only after `get` missed, to tell an unknown event from an unknown version. */
  hasSubject(subject: string): Promise<boolean>;
}
