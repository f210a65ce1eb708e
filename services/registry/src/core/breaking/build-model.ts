import { isFieldSet, ScalarType, type FileRegistry } from "@bufbuild/protobuf";
// protoc's default json_name (lowerCamelCase of the field name), as protobuf-es computes it.
import { protoCamelCase } from "@bufbuild/protobuf/reflect";
import {
  FieldDescriptorProtoSchema,
  type DescriptorProto,
  type EnumDescriptorProto,
  type FeatureSet,
  type FieldDescriptorProto,
  type FileDescriptorProto,
} from "@bufbuild/protobuf/wkt";
import { ENCODING_DELIMITED, JSON_ALLOW, PRESENCE_IMPLICIT, PRESENCE_LEGACY_REQUIRED, resolveFeature, syntaxOf, type Syntax } from "./features.js";
import { fieldDefault, type FieldDefault } from "./field-default.js";
import { fingerprintOf } from "./fingerprint.js";
import type { Cardinality, EnumModel, FieldKind, FieldModel, MessageModel, MethodModel, SchemaFiles, SchemaModel } from "./model.js";

// Indexed by FieldDescriptorProto.Type; Go's protoreflect.Kind names.
const KINDS: (FieldKind | undefined)[] = [undefined, "double", "float", "int64", "uint64", "int32", "fixed64", "fixed32", "bool", "string",
  "group", "message", "bytes", "uint32", "enum", "sfixed32", "sfixed64", "sint32", "sint64"];
const TYPE_MESSAGE = 11;
const LABEL_REQUIRED = 2;
const LABEL_REPEATED = 3;
const IDEMPOTENCY = ["IDEMPOTENCY_UNKNOWN", "NO_SIDE_EFFECTS", "IDEMPOTENT"];
const F = FieldDescriptorProtoSchema.field;

// Stored versions are loaded once and checked many times: their models are kept as long as their registry lives.
const cache = new WeakMap<FileRegistry, Map<string, SchemaModel>>();

/** The files a schema owns: the given list, or every file but the well-known types. */
export function ownedFiles(input: SchemaFiles): string[] {
  if (input.files) return [...input.files];
  return [...input.registry.files].map((f) => f.proto.name).filter((n) => !n.startsWith("google/protobuf/"));
}

/** The model of a schema's owned files, built once per registry and file list. */
export function schemaModel(input: SchemaFiles): SchemaModel {
  const owned = ownedFiles(input);
  const key = owned.join("\n");
  let byFiles = cache.get(input.registry);
  const hit = byFiles?.get(key);
  if (hit) return hit;
  const model: SchemaModel = {
    filePackages: new Map(), messages: new Map(), enums: new Map(), methods: new Map(), extensions: new Map(),
    registry: input.registry, fingerprint: fingerprintOf(input.registry, owned, input.descriptorSet),
  };
  for (const name of owned) {
    const file = input.registry.getFile(name);
    if (!file) throw new Error(`the schema has no file "${name}"`);
    addFile(model, file.proto);
  }
  if (!byFiles) cache.set(input.registry, (byFiles = new Map()));
  byFiles.set(key, model);
  return model;
}

interface Scope {
  file: string;
  syntax: Syntax;
  prefix: string;
  chain: (FeatureSet | undefined)[];
}

const join = (prefix: string, name: string) => (prefix ? `${prefix}.${name}` : name);

// Only editions files can set features; proto2/proto3 elements skip building the chain (most schemas, most fields).
const withFeatures = (scope: Scope, features: FeatureSet | undefined) =>
  scope.syntax === "editions" ? [...scope.chain, features] : scope.chain;

function addFile(m: SchemaModel, fp: FileDescriptorProto): void {
  m.filePackages.set(fp.name, fp.package);
  const scope: Scope = { file: fp.name, syntax: syntaxOf(fp.syntax), prefix: fp.package, chain: [fp.options?.features] };
  // Fields are built once every message of the file is known, so map fields can recognise their entry message.
  const pending: (() => void)[] = [];
  collect(m, scope, fp.messageType, fp.enumType, fp.extension, pending);
  for (const build of pending) build();
  for (const svc of fp.service) {
    const service = join(fp.package, svc.name);
    const methods = new Map<string, MethodModel>();
    for (const md of svc.method) {
      methods.set(md.name, {
        name: md.name, path: `${service}.${md.name}`, file: fp.name, service: svc.name,
        inputType: md.inputType, outputType: md.outputType,
        clientStreaming: md.clientStreaming, serverStreaming: md.serverStreaming,
        idempotencyLevel: IDEMPOTENCY[md.options?.idempotencyLevel ?? 0] ?? String(md.options?.idempotencyLevel),
      });
    }
    m.methods.set(service, methods);
  }
}

function collect(m: SchemaModel, scope: Scope, messages: DescriptorProto[], enums: EnumDescriptorProto[],
  extensions: FieldDescriptorProto[], pending: (() => void)[]): void {
  for (const e of enums) addEnum(m, scope, e);
  for (const ext of extensions) {
    pending.push(() => {
      const field = fieldModel(m, scope, ext, undefined);
      const byNumber = m.extensions.get(field.extendee!) ?? new Map<number, FieldModel>();
      byNumber.set(field.number, field);
      m.extensions.set(field.extendee!, byNumber);
    });
  }
  for (const d of messages) {
    const fullName = join(scope.prefix, d.name);
    const inner: Scope = { ...scope, prefix: fullName, chain: withFeatures(scope, d.options?.features) };
    const message: MessageModel = {
      fullName, name: d.name, file: scope.file, isMapEntry: d.options?.mapEntry === true, fields: new Map(),
      reservedRanges: d.reservedRange.map((r) => [r.start, r.end - 1] as const), // DescriptorProto ranges end exclusive
      reservedNames: new Set(d.reservedName),
      maxNumber: d.options?.messageSetWireFormat ? 2147483646 : 536870911,
      jsonFormatAllowed: resolveFeature(scope.syntax, inner.chain, "jsonFormat") === JSON_ALLOW,
      signature: "",
    };
    m.messages.set(fullName, message);
    pending.push(() => {
      for (const f of d.field) message.fields.set(f.number, fieldModel(m, inner, f, { d, message }));
      message.signature = messageSignature(message);
    });
    collect(m, inner, d.nestedType, d.enumType, d.extension, pending);
  }
}

function addEnum(m: SchemaModel, scope: Scope, e: EnumDescriptorProto): void {
  const valuesByNumber = new Map<number, string[]>();
  const numberByName = new Map<string, number>();
  for (const v of e.value) {
    valuesByNumber.set(v.number, [...(valuesByNumber.get(v.number) ?? []), v.name].sort());
    numberByName.set(v.name, v.number);
  }
  const fullName = join(scope.prefix, e.name);
  const enumModel: EnumModel = {
    fullName, name: e.name, file: scope.file, valuesByNumber, numberByName,
    reservedRanges: e.reservedRange.map((r) => [r.start, r.end] as const), // EnumReservedRange ends inclusive
    reservedNames: new Set(e.reservedName),
    jsonFormatAllowed: resolveFeature(scope.syntax, withFeatures(scope, e.options?.features), "jsonFormat") === JSON_ALLOW,
    signature: "",
  };
  enumModel.signature = JSON.stringify([[...valuesByNumber], enumModel.reservedRanges, [...enumModel.reservedNames], enumModel.jsonFormatAllowed]);
  m.enums.set(fullName, enumModel);
}

/** Flattens a field (or, without `parent`, an extension) with its features resolved. */
function fieldModel(m: SchemaModel, scope: Scope, f: FieldDescriptorProto, parent: { d: DescriptorProto; message: MessageModel } | undefined): FieldModel {
  const chain = withFeatures(scope, f.options?.features);
  const typeName = f.typeName.replace(/^\./, "");
  const target = m.messages.get(typeName);
  const isMap = f.label === LABEL_REPEATED && f.type === TYPE_MESSAGE && target?.isMapEntry === true;
  let kind = KINDS[f.type] ?? "message";
  // Editions spell groups as messages with DELIMITED encoding; Go's Kind() (what buf compares) reports them as groups.
  if (kind === "message" && !isMap && !parent?.message.isMapEntry && resolveFeature(scope.syntax, chain, "messageEncoding") === ENCODING_DELIMITED) {
    kind = "group";
  }
  const realOneof = parent && isFieldSet(f, F.oneofIndex) && !f.proto3Optional ? parent.d.oneofDecl[f.oneofIndex]?.name : undefined;
  const presence = resolveFeature(scope.syntax, chain, "fieldPresence");
  let cardinality: Cardinality;
  if (f.label === LABEL_REPEATED) cardinality = isMap ? "map" : "repeated";
  else if (f.label === LABEL_REQUIRED || (scope.syntax === "editions" && presence === PRESENCE_LEGACY_REQUIRED)) cardinality = "required";
  else {
    const explicit = !parent || kind === "message" || kind === "group" || realOneof !== undefined || f.proto3Optional ||
      (scope.syntax !== "proto3" && presence !== PRESENCE_IMPLICIT);
    cardinality = explicit ? "optional with explicit presence" : "optional with implicit presence";
  }
  const extendee = parent ? undefined : f.extendee.replace(/^\./, "");
  return {
    number: f.number, name: f.name, path: join(scope.prefix, f.name), owner: parent ? parent.message.name : extendee!,
    file: scope.file, jsonName: isFieldSet(f, F.jsonName) ? f.jsonName : protoCamelCase(f.name), kind, typeName, cardinality,
    labelRequired: f.label === LABEL_REQUIRED, oneof: realOneof, extendee, inMapEntry: parent?.message.isMapEntry === true,
    defaultValue: f.label === LABEL_REPEATED || kind === "message" || kind === "group" ? undefined : defaultOf(m, f, kind, typeName),
  };
}

function defaultOf(m: SchemaModel, f: FieldDescriptorProto, kind: FieldKind, typeName: string): FieldDefault | undefined {
  const text = isFieldSet(f, F.defaultValue) ? f.defaultValue : undefined;
  const enumNumber = (name?: string) => {
    const values = m.registry.getEnum(typeName)?.values ?? [];
    // Without an explicit default an enum field defaults to the enum's first value (not necessarily 0 in proto2).
    return (name === undefined ? values[0] : values.find((v) => v.name === name))?.number ?? 0;
  };
  try {
    return fieldDefault(kind === "enum" ? "enum" : (f.type as number as ScalarType), text, enumNumber);
  } catch {
    return undefined; // unparseable default text: protoc normalises defaults, so this only guards odd sets
  }
}

/**
 * Everything the message and field rules read of a message, resolved (enum defaults included), so that a message
 * whose signature is unchanged can be skipped: most of a schema is unchanged from one version to the next.
 */
function messageSignature(msg: MessageModel): string {
  const fields = [...msg.fields.values()].map((f) => {
    const d = f.defaultValue;
    const def = d ? `${d.t}:${String(d.v)}:${d.t === "float" ? d.float32 : ""}` : "-";
    return `${f.number}|${f.name}|${f.jsonName}|${f.kind}|${f.typeName}|${f.cardinality}|${f.labelRequired}|${f.oneof ?? "-"}|${def}`;
  });
  return JSON.stringify([msg.isMapEntry, msg.jsonFormatAllowed, msg.maxNumber, msg.reservedRanges, [...msg.reservedNames], fields]);
}
