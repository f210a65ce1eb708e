import { ScalarType } from "@bufbuild/protobuf";

/**
 * A field's default as buf compares it (FIELD_SAME_DEFAULT): strings and bytes as byte strings, bool/enum/integers
 * as bigint, floating point as number (float rounded to 32 bits).
 */
export type FieldDefault =
  | { t: "bytes"; v: string; printable: string }
  | { t: "int"; v: bigint; printable: string }
  | { t: "float"; v: number; float32: boolean; printable: string };

/**
 * The default of a scalar or enum field: `text` is the descriptor's default_value when set;
 * `enumNumber` resolves an enum value name (or, with no text, gives the enum's first value).
 */
export function fieldDefault(type: ScalarType | "enum", text: string | undefined, enumNumber: (name?: string) => number): FieldDefault {
  switch (type) {
    case "enum": {
      const n = enumNumber(text);
      return { t: "int", v: BigInt(n), printable: text ?? String(n) };
    }
    case ScalarType.STRING:
      return { t: "bytes", v: utf8Latin1(text ?? ""), printable: JSON.stringify(text ?? "") };
    case ScalarType.BYTES:
      return { t: "bytes", v: unescapeBytes(text ?? ""), printable: JSON.stringify(text ?? "") };
    case ScalarType.BOOL:
      return { t: "int", v: text === "true" ? 1n : 0n, printable: text ?? "false" };
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT: {
      const f32 = type === ScalarType.FLOAT;
      const raw = parseFloatText(text ?? "0");
      return { t: "float", v: f32 ? Math.fround(raw) : raw, float32: f32, printable: text ?? "0" };
    }
    default:
      return { t: "int", v: BigInt(text ?? "0"), printable: text ?? "0" };
  }
}

/** Whether a default is its type's zero value (Go's reflect.Value.IsZero: -0.0 is not zero). */
export function isZeroDefault(d: FieldDefault): boolean {
  if (d.t === "bytes") return d.v === "";
  if (d.t === "int") return d.v === 0n;
  return d.v === 0 && !Object.is(d.v, -0);
}

/** buf's defaultsEqual: strings only equal strings; numbers compare exactly, float/double compare at 32 bits. */
export function defaultsEqual(a: FieldDefault, b: FieldDefault): boolean {
  if (a.t === "bytes" || b.t === "bytes") return a.t === b.t && a.v === b.v;
  if (a.t === "float" && b.t === "float" && a.float32 !== b.float32) {
    return (Number.isNaN(a.v) && Number.isNaN(b.v)) || Math.fround(a.v) === Math.fround(b.v);
  }
  const aNaN = a.t === "float" && Number.isNaN(a.v);
  const bNaN = b.t === "float" && Number.isNaN(b.v);
  if (aNaN || bNaN) return aNaN && bNaN;
  // Loose equality between bigint and number compares the mathematical values exactly.
  // eslint-disable-next-line eqeqeq
  return (a.v as number | bigint) == (b.v as number | bigint);
}

function parseFloatText(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === "inf" || t === "infinity") return Infinity;
  if (t === "-inf" || t === "-infinity") return -Infinity;
  if (t === "nan" || t === "-nan") return NaN;
  return Number(t);
}

/** A string's UTF-8 bytes, one char per byte, so it compares with bytes defaults the way Go compares them. */
function utf8Latin1(s: string): string {
  let out = "";
  for (const b of new TextEncoder().encode(s)) out += String.fromCharCode(b);
  return out;
}

/** Undoes the C-style escaping protoc applies to a bytes field's default_value. */
function unescapeBytes(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === "x") return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
    const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", a: "\x07", b: "\b", f: "\f", v: "\v" };
    return simple[e] ?? e;
  });
}
