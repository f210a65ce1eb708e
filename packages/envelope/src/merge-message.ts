import type { DescField, DescMessage } from "@bufbuild/protobuf";

type Plain = Record<string, unknown>;

// Messages ts-proto maps to a plain JS value (Date, number…): treated as one value, not merged field by field.
const WHOLE_VALUE_TYPES = new Set(["google.protobuf.Timestamp", "google.protobuf.Duration"]);

function isZero(v: unknown): boolean {
  return v === "" || v === 0 || v === false || v === 0n || (v instanceof Uint8Array && v.length === 0);
}

function isSet(field: DescField, v: unknown): boolean {
  if (v === undefined || v === null) return false;
  // proto3 `optional` fields have explicit presence: an explicit zero is a value.
  if (field.presence !== 2 /* IMPLICIT */) return true;
  return !isZero(v);
}

/**
 * Merges two messages in ts-proto's plain-object form with protobuf's own merge semantics: a set field of
 * `over` wins, unset fields keep `base`'s value, nested messages merge field by field, maps merge by key
 * (`over` winning), repeated fields concatenate. The result equals decoding base's bytes followed by over's.
 */
export function mergeMessage<T extends object>(desc: DescMessage, base: T | undefined, over: T | undefined): T | undefined {
  if (over === undefined) return base;
  if (base === undefined) return over;
  const b = base as Plain;
  const o = over as Plain;
  const out: Plain = { ...b };
  for (const field of desc.fields) {
    if (field.oneof) throw new Error(`mergeMessage does not support oneof field ${field.toString()}`);
    const k = field.localName;
    const v = o[k];
    switch (field.fieldKind) {
      case "scalar":
      case "enum":
        if (isSet(field, v)) out[k] = v;
        break;
      case "message":
        if (v === undefined || v === null) break;
        out[k] = WHOLE_VALUE_TYPES.has(field.message.typeName) ? v : mergeMessage(field.message, b[k] as Plain | undefined, v as Plain);
        break;
      case "map":
        if (v !== undefined) out[k] = { ...(b[k] as Plain | undefined), ...(v as Plain) };
        break;
      case "list":
        if (Array.isArray(v) && v.length > 0) out[k] = [...((b[k] as unknown[] | undefined) ?? []), ...v];
        break;
    }
  }
  return out as T;
}
