import { isFieldSet } from "@bufbuild/protobuf";
// protoc's default json_name (lowerCamelCase of the field name), as protobuf-es computes it.
import { protoCamelCase } from "@bufbuild/protobuf/reflect";
import {
  Edition,
  FieldDescriptorProtoSchema,
  type DescriptorProto,
  type EnumDescriptorProto,
  type FieldDescriptorProto,
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  type FileDescriptorProto,
  type ServiceDescriptorProto,
} from "@bufbuild/protobuf/wkt";
import { schemaInvalid } from "./errors.js";
import { optionLines, optionPairs, quote } from "./proto-options.js";

const scalarNames: Partial<Record<Type, string>> = {
  [Type.DOUBLE]: "double", [Type.FLOAT]: "float", [Type.INT64]: "int64", [Type.UINT64]: "uint64", [Type.INT32]: "int32",
  [Type.FIXED64]: "fixed64", [Type.FIXED32]: "fixed32", [Type.BOOL]: "bool", [Type.STRING]: "string", [Type.BYTES]: "bytes",
  [Type.UINT32]: "uint32", [Type.SFIXED32]: "sfixed32", [Type.SFIXED64]: "sfixed64", [Type.SINT32]: "sint32", [Type.SINT64]: "sint64",
};

/**
 * Prints a FileDescriptorProto as .proto source, as Confluent does with a schema registered as a base64 descriptor.
 * Type references are printed fully qualified (`.pkg.Type`), so the text compiles to the same descriptor. Standard
 * options are kept; custom options (extensions) and groups are not expressible here and are refused or dropped.
 */
export function descriptorToProto(file: FileDescriptorProto): string {
  const out: string[] = [];
  if (file.syntax === "editions") out.push(`edition = "${editionName(file.edition)}";`);
  else out.push(`syntax = "${file.syntax === "proto3" ? "proto3" : "proto2"}";`);
  if (file.package) out.push(`package ${file.package};`);
  const publicDeps = new Set(file.publicDependency);
  const weakDeps = new Set(file.weakDependency);
  file.dependency.forEach((d, i) => out.push(`import ${publicDeps.has(i) ? "public " : weakDeps.has(i) ? "weak " : ""}${quote(d)};`));
  if (file.options) out.push(...optionLines(file.options, ""));
  const proto3 = file.syntax === "proto3";
  for (const m of file.messageType) out.push(...messageLines(m, "", proto3));
  for (const e of file.enumType) out.push(...enumLines(e, ""));
  for (const s of file.service) out.push(...serviceLines(s));
  out.push(...extendLines(file.extension, "", proto3));
  return `${out.join("\n")}\n`;
}

function messageLines(m: DescriptorProto, indent: string, proto3: boolean): string[] {
  const inner = `${indent}  `;
  const out = [`${indent}message ${m.name} {`];
  if (m.options) out.push(...optionLines(m.options, inner, ["map_entry"]));
  const mapEntries = new Map(m.nestedType.filter((n) => n.options?.mapEntry).map((n) => [n.name, n]));
  const realOneofs = new Set<number>();
  for (const f of m.field) if (oneofOf(f) !== undefined && !f.proto3Optional) realOneofs.add(f.oneofIndex);
  const printedOneofs = new Set<number>();
  for (const f of m.field) {
    if (oneofOf(f) !== undefined && realOneofs.has(f.oneofIndex)) {
      if (printedOneofs.has(f.oneofIndex)) continue;
      printedOneofs.add(f.oneofIndex);
      const decl = m.oneofDecl[f.oneofIndex];
      out.push(`${inner}oneof ${decl?.name ?? `oneof_${f.oneofIndex}`} {`);
      if (decl?.options) out.push(...optionLines(decl.options, `${inner}  `));
      for (const g of m.field.filter((x) => oneofOf(x) === f.oneofIndex && !x.proto3Optional)) out.push(fieldLine(g, `${inner}  `, proto3, mapEntries, true));
      out.push(`${inner}}`);
      continue;
    }
    out.push(fieldLine(f, inner, proto3, mapEntries, false));
  }
  for (const n of m.nestedType) if (!mapEntries.has(n.name)) out.push(...messageLines(n, inner, proto3));
  for (const e of m.enumType) out.push(...enumLines(e, inner));
  for (const r of m.extensionRange) out.push(`${inner}extensions ${range(r.start, r.end - 1, 536_870_911)};`);
  out.push(...reservedLines(m.reservedRange.map((r) => [r.start, r.end - 1]), m.reservedName, inner, 536_870_911));
  out.push(...extendLines(m.extension, inner, proto3));
  out.push(`${indent}}`);
  return out;
}

function fieldLine(f: FieldDescriptorProto, indent: string, proto3: boolean, mapEntries: Map<string, DescriptorProto>, inOneof: boolean): string {
  if (f.type === Type.GROUP) throw schemaInvalid(`field ${f.name}: groups cannot be registered as a descriptor; register the .proto text`);
  const entry = f.label === Label.REPEATED && f.type === Type.MESSAGE ? mapEntries.get(lastName(f.typeName)) : undefined;
  let head: string;
  if (entry) {
    const [k, v] = [entry.field.find((x) => x.number === 1), entry.field.find((x) => x.number === 2)];
    if (!k || !v) throw schemaInvalid(`map entry ${entry.name} lacks its key or value field`);
    head = `map<${typeOf(k)}, ${typeOf(v)}>`;
  } else {
    const label = inOneof ? "" : f.label === Label.REPEATED ? "repeated " : f.label === Label.REQUIRED ? "required " : f.proto3Optional || (!proto3 && f.label === Label.OPTIONAL) ? "optional " : "";
    head = `${label}${typeOf(f)}`;
  }
  const opts: string[] = [];
  if (has(f, "defaultValue")) opts.push(`default = ${defaultLiteral(f)}`);
  if (has(f, "jsonName") && f.jsonName !== protoCamelCase(f.name)) opts.push(`json_name = ${quote(f.jsonName)}`);
  if (f.options) opts.push(...optionPairs(f.options));
  return `${indent}${head} ${f.name} = ${f.number}${opts.length > 0 ? ` [${opts.join(", ")}]` : ""};`;
}

function enumLines(e: EnumDescriptorProto, indent: string): string[] {
  const inner = `${indent}  `;
  const out = [`${indent}enum ${e.name} {`];
  if (e.options) out.push(...optionLines(e.options, inner));
  for (const v of e.value) {
    const opts = v.options ? optionPairs(v.options) : [];
    out.push(`${inner}${v.name} = ${v.number}${opts.length > 0 ? ` [${opts.join(", ")}]` : ""};`);
  }
  out.push(...reservedLines(e.reservedRange.map((r) => [r.start, r.end]), e.reservedName, inner, 2_147_483_647));
  out.push(`${indent}}`);
  return out;
}

function serviceLines(s: ServiceDescriptorProto): string[] {
  const out = [`service ${s.name} {`];
  if (s.options) out.push(...optionLines(s.options, "  "));
  for (const m of s.method) {
    const sig = `rpc ${m.name}(${m.clientStreaming ? "stream " : ""}${m.inputType}) returns (${m.serverStreaming ? "stream " : ""}${m.outputType})`;
    const opts = m.options ? optionLines(m.options, "    ") : [];
    out.push(opts.length > 0 ? `  ${sig} {\n${opts.join("\n")}\n  }` : `  ${sig};`);
  }
  out.push("}");
  return out;
}

function extendLines(fields: FieldDescriptorProto[], indent: string, proto3: boolean): string[] {
  const out: string[] = [];
  const byExtendee = new Map<string, FieldDescriptorProto[]>();
  for (const f of fields) byExtendee.set(f.extendee, [...(byExtendee.get(f.extendee) ?? []), f]);
  for (const [extendee, list] of byExtendee) {
    out.push(`${indent}extend ${extendee} {`, ...list.map((f) => fieldLine(f, `${indent}  `, proto3, new Map(), false)), `${indent}}`);
  }
  return out;
}

function reservedLines(ranges: [number, number][], names: string[], indent: string, max: number): string[] {
  const out: string[] = [];
  if (ranges.length > 0) out.push(`${indent}reserved ${ranges.map(([a, b]) => range(a, b, max)).join(", ")};`);
  if (names.length > 0) out.push(`${indent}reserved ${names.map(quote).join(", ")};`);
  return out;
}

const range = (a: number, b: number, max: number) => (a === b ? `${a}` : `${a} to ${b >= max ? "max" : b}`);

function typeOf(f: FieldDescriptorProto): string {
  if (f.type === Type.MESSAGE || f.type === Type.ENUM || (!has(f, "type") && f.typeName)) return f.typeName;
  const name = scalarNames[f.type];
  if (!name) throw schemaInvalid(`field ${f.name} has no type`);
  return name;
}

function defaultLiteral(f: FieldDescriptorProto): string {
  const v = f.defaultValue;
  if (f.type === Type.STRING) return quote(v);
  // The descriptor holds bytes defaults C-escaped already.
  if (f.type === Type.BYTES) return `"${v.replaceAll('"', '\\"')}"`;
  return v;
}

const has = (f: FieldDescriptorProto, name: "defaultValue" | "jsonName" | "type" | "oneofIndex") =>
  isFieldSet(f, FieldDescriptorProtoSchema.field[name]);
const oneofOf = (f: FieldDescriptorProto) => (has(f, "oneofIndex") ? f.oneofIndex : undefined);
const lastName = (typeName: string) => typeName.slice(typeName.lastIndexOf(".") + 1);

function editionName(e: Edition): string {
  const name = Edition[e];
  const m = name?.match(/^EDITION_(\d+)$/);
  if (!m) throw schemaInvalid(`edition ${name || e} cannot be printed`);
  return m[1]!;
}
