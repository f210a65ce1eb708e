import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";

const strict = new TextDecoder("utf-8", { fatal: true });

/** The field path of a string that is not valid UTF-8, or undefined. Decoding stops at the first. */
function walk(message: DescMessage, bytes: Uint8Array, path: string, depth: number): string | undefined {
  if (depth > 32) return undefined;
  const reader = new BinaryReader(bytes);
  const byNumber = new Map<number, DescField>(message.fields.map((f) => [f.number, f]));
  while (reader.pos < reader.len) {
    const [no, wireType] = reader.tag();
    const field = byNumber.get(no);
    if (!field || wireType !== WireType.LengthDelimited) {
      reader.skip(wireType, no);
      continue;
    }
    const value = reader.bytes();
    const at = `${path}${field.name}`;
    const bad = check(field, value, at, depth);
    if (bad) return bad;
  }
  return undefined;
}

function valid(bytes: Uint8Array): boolean {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function check(field: DescField, value: Uint8Array, at: string, depth: number): string | undefined {
  switch (field.fieldKind) {
    case "scalar":
    case "list":
      if (field.scalar === ScalarType.STRING) return valid(value) ? undefined : at;
      if (field.message) return walk(field.message, value, `${at}.`, depth + 1);
      return undefined;
    case "message":
      return walk(field.message, value, `${at}.`, depth + 1);
    case "map": {
      // A map entry is a message { key = 1; value = 2; }.
      const entry = new BinaryReader(value);
      while (entry.pos < entry.len) {
        const [no, wt] = entry.tag();
        if (wt !== WireType.LengthDelimited) {
          entry.skip(wt, no);
          continue;
        }
        const part = entry.bytes();
        if (no === 1 && field.mapKey === ScalarType.STRING && !valid(part)) return `${at}[key]`;
        if (no === 2 && field.mapKind === "scalar" && field.scalar === ScalarType.STRING && !valid(part)) return `${at}[value]`;
        if (no === 2 && field.mapKind === "message") {
          const bad = walk(field.message, part, `${at}[value].`, depth + 1);
          if (bad) return bad;
        }
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The path of the first string field in a message's encoded bytes that is not valid UTF-8 (`header.context.app.name`),
 * or undefined when all are valid. Protobuf decoders replace invalid UTF-8 by U+FFFD without a word, so two
 * different byte strings could become one value; this reads the raw bytes strictly instead. Throws on bytes
 * that are not a message at all (decode them first).
 */
export function invalidUtf8Path(message: DescMessage, bytes: Uint8Array): string | undefined {
  return walk(message, bytes, "", 0);
}

/** Whether a decoded value holds U+FFFD anywhere in its strings: the only case where `invalidUtf8Path` can find something. */
export function hasReplacementChar(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.includes("\uFFFD");
  if (depth > 32 || value === null || typeof value !== "object" || value instanceof Date || value instanceof Uint8Array) return false;
  for (const [k, v] of Object.entries(value)) if (k.includes("\uFFFD") || hasReplacementChar(v, depth + 1)) return true;
  return false;
}
