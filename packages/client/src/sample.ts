import { create, ScalarType, type DescField, type DescMessage, type MessageShape } from "@bufbuild/protobuf";

type Values = Record<string, unknown>;

function scalarSample(t: ScalarType, name: string, i: number): unknown {
  switch (t) {
    case ScalarType.STRING:
      return `${name}-${i}`;
    case ScalarType.BOOL:
      return i % 2 === 0;
    case ScalarType.BYTES:
      return Uint8Array.from([i & 0xff, (i >> 8) & 0xff]);
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return (i % 1000) * 1.5 + 0.25;
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return BigInt((i % 10_000) + 1);
    default:
      return (i % 100) + 1;
  }
}

function fieldSample(f: DescField, i: number, depth: number): unknown {
  switch (f.fieldKind) {
    case "scalar":
      return scalarSample(f.scalar, f.name, i);
    case "enum":
      return f.enum.values.find((v) => v.number !== 0)?.number ?? 0;
    case "message":
      return depth < 3 ? sampleInit(f.message, i, depth + 1) : undefined;
    case "list":
      if (f.listKind === "scalar") return [scalarSample(f.scalar, f.name, i), scalarSample(f.scalar, f.name, i + 1)];
      if (f.listKind === "enum") return [f.enum.values.at(-1)?.number ?? 0];
      return depth < 3 ? [sampleInit(f.message, i, depth + 1)] : [];
    case "map": {
      const key = f.mapKey === ScalarType.STRING ? `k${i % 3}` : f.mapKey === ScalarType.BOOL ? true : (i % 3) + 1;
      const value = f.mapKind === "scalar" ? scalarSample(f.scalar, f.name, i) : f.mapKind === "enum" ? 0 : depth < 3 ? sampleInit(f.message, i, depth + 1) : undefined;
      return value === undefined ? {} : { [String(key)]: value };
    }
  }
}

function sampleInit(desc: DescMessage, i: number, depth: number): Values {
  const out: Values = {};
  for (const f of desc.fields) {
    // Oneofs: set the first member only.
    if (f.oneof && f.oneof.fields[0] !== f) continue;
    const v = fieldSample(f, i, depth);
    if (v === undefined) continue;
    if (f.oneof) out[f.oneof.localName] = { case: f.localName, value: v };
    else out[f.localName] = v;
  }
  return out;
}

/**
 * A plausible message of any type, for `trackway send` and demos: every field set from `i` (strings
 * `<field>-<i>`, small numbers, the first non-zero enum value, one level of nested messages, two list items).
 */
export function sampleMessage<Desc extends DescMessage>(desc: Desc, i = 0): MessageShape<Desc> {
  return create(desc, sampleInit(desc, i, 0) as never);
}
