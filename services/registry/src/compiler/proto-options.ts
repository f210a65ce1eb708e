// Standard options of descriptor.proto messages printed as .proto source (custom options, being extensions, are not).
import type { DescMessage, Message } from "@bufbuild/protobuf";
import { reflect } from "@bufbuild/protobuf/reflect";
import {
  EnumOptionsSchema,
  EnumValueOptionsSchema,
  FieldOptionsSchema,
  FileOptionsSchema,
  MessageOptionsSchema,
  MethodOptionsSchema,
  OneofOptionsSchema,
  ServiceOptionsSchema,
} from "@bufbuild/protobuf/wkt";

/** `option name = value;` lines for every standard option set on an options message (repeated and message-typed ones skipped). */
export function optionLines(options: Message, indent: string, skip: string[] = []): string[] {
  return optionPairs(options, skip).map((p) => `${indent}option ${p};`);
}

/** `name = value` pairs for every standard option set (a field's or enum value's `[...]` list). */
export function optionPairs(options: Message, skip: string[] = []): string[] {
  const r = reflect(schemaOf(options), options);
  const out: string[] = [];
  for (const field of r.fields) {
    if (skip.includes(field.name) || !r.isSet(field)) continue;
    if (field.fieldKind === "scalar") {
      const v = r.get(field);
      out.push(`${field.name} = ${typeof v === "string" ? quote(v) : String(v)}`);
    } else if (field.fieldKind === "enum") {
      const n = r.get(field) as number;
      out.push(`${field.name} = ${field.enum.values.find((x) => x.number === n)?.name ?? n}`);
    }
  }
  return out;
}

function schemaOf(m: Message): DescMessage {
  // Every options message of descriptor.proto is one of the well-known schemas: find it by its type name.
  const schema = optionSchemas.find((s) => s.typeName === m.$typeName);
  if (!schema) throw new Error(`unknown options message ${m.$typeName}`);
  return schema;
}

const optionSchemas: DescMessage[] = [
  FileOptionsSchema, MessageOptionsSchema, FieldOptionsSchema, OneofOptionsSchema, EnumOptionsSchema, EnumValueOptionsSchema,
  ServiceOptionsSchema, MethodOptionsSchema,
];

/** A .proto string literal. */
export const quote = (s: string) => JSON.stringify(s);
