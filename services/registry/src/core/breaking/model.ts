import type { FileRegistry } from "@bufbuild/protobuf";
import type { FieldDefault } from "./field-default.js";

/**
 * What the compatibility rules compare: a registry holding every file a schema needs, and the files it owns
 * (checked). `files` defaults to every file except the well-known types (`google/protobuf/*`), like
 * `buf breaking` on a directory holding the schema and its imports. A `CompiledSchema` is one as it stands.
 */
export interface SchemaFiles {
  readonly registry: FileRegistry;
  readonly files?: readonly string[];
  /** The serialized set behind `registry`, when at hand: fingerprinting it is cheaper than re-serializing. */
  readonly descriptorSet?: Uint8Array;
}

/** An inclusive range of field or enum numbers. */
export type NumberRange = readonly [start: number, end: number];

/** How many values a field holds, grouped as buf's WIRE_JSON cardinality rule sees them. */
export type Cardinality = "optional with explicit presence" | "optional with implicit presence" | "required" | "repeated" | "map";

/**
 * A field's kind after resolving features, as Go's protoreflect.Kind names it ("group" covers delimited messages
 * in editions files): the unit of buf's wire+JSON compatibility groups.
 */
export type FieldKind =
  | "double" | "float" | "int64" | "uint64" | "int32" | "fixed64" | "fixed32" | "bool" | "string"
  | "group" | "message" | "bytes" | "uint32" | "enum" | "sfixed32" | "sfixed64" | "sint32" | "sint64";

/** A field or extension, flattened to what the rules compare. */
export interface FieldModel {
  number: number;
  name: string;
  /** `pkg.Message.field` for fields; the extension's own full name for extensions. */
  path: string;
  /** The containing message's short name (for extensions: the extendee's full name), for sentences. */
  owner: string;
  file: string;
  jsonName: string;
  kind: FieldKind;
  /** Message, group or enum type, fully qualified without the leading dot; "" for scalars. */
  typeName: string;
  cardinality: Cardinality;
  /** The descriptor's label is LABEL_REQUIRED (what MESSAGE_SAME_REQUIRED_FIELDS looks at). */
  labelRequired: boolean;
  /** The real (not synthetic proto3 `optional`) oneof holding the field. */
  oneof?: string;
  /** Extendee, fully qualified without the leading dot, for extensions. */
  extendee?: string;
  /** The field lives in a map entry (buf skips the cardinality rule there). */
  inMapEntry: boolean;
  /** Default value, or undefined where a field cannot have one (repeated, map, message). */
  defaultValue?: FieldDefault;
}

/** A message with its fields by number and its reservations. */
export interface MessageModel {
  fullName: string;
  name: string;
  file: string;
  isMapEntry: boolean;
  fields: Map<number, FieldModel>;
  reservedRanges: NumberRange[];
  reservedNames: Set<string>;
  /** Largest field number, for printing "max" (differs for message_set_wire_format). */
  maxNumber: number;
  jsonFormatAllowed: boolean;
  /** Every attribute the rules read, serialized: equal signatures on both sides mean no rule can fire for the pair. */
  signature: string;
}

/** An enum with its values by number (aliases share a number) and its reservations. */
export interface EnumModel {
  fullName: string;
  name: string;
  file: string;
  valuesByNumber: Map<number, string[]>;
  numberByName: Map<string, number>;
  reservedRanges: NumberRange[];
  reservedNames: Set<string>;
  jsonFormatAllowed: boolean;
  /** Every attribute the rules read, serialized (see MessageModel.signature). */
  signature: string;
}

/** An RPC of a service. */
export interface MethodModel {
  name: string;
  path: string;
  file: string;
  service: string;
  inputType: string;
  outputType: string;
  clientStreaming: boolean;
  serverStreaming: boolean;
  idempotencyLevel: string;
}

/** Everything the WIRE_JSON rules read from the files a schema owns, keyed the way buf pairs elements. */
export interface SchemaModel {
  /** Package of each owned file, by path. */
  filePackages: Map<string, string>;
  messages: Map<string, MessageModel>;
  enums: Map<string, EnumModel>;
  /** The whole registry, owned or not: enum types of fields are looked up here. */
  registry: FileRegistry;
  methods: Map<string, Map<string, MethodModel>>;
  /** Extensions by extendee, then number. */
  extensions: Map<string, Map<number, FieldModel>>;
  /** Identity of the input: equal fingerprints mean no rule can fire. */
  fingerprint: Fingerprint;
}

/** A cheap identity of a schema: a hash to compare first, and the bytes to confirm. */
export interface Fingerprint {
  hash: string;
  bytes: Uint8Array;
}
