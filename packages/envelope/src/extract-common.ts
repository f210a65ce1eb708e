import type { DescField, DescMessage } from "./properties.js";
import { EventHeaderSchema } from "@trackway/proto/es/event/v1";
import { EventHeader } from "@trackway/proto/event/v1";

type Plain = Record<string, unknown>;

// Messages ts-proto maps to a plain JS value (Date): compared and moved as one value.
const WHOLE_VALUE_TYPES = new Set(["google.protobuf.Timestamp", "google.protobuf.Duration"]);

function isSet(field: DescField, v: unknown): boolean {
  if (v === undefined || v === null) return false;
  // Explicit presence (proto3 `optional`, messages): any value, false and 0 included, is set.
  if (field.fieldKind === "scalar" && field.presence === 2 /* IMPLICIT */) return !(v === "" || v === 0 || v === false || v === 0n);
  return true;
}

const sameValue = (a: unknown, b: unknown): boolean => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);

/**
 * The part of `values` (messages of type `desc`, ts-proto form) set to the same value in every one of them:
 * scalars equal everywhere, nested messages field by field, map entries by key. Repeated fields are never
 * shared (a merge concatenates them). Returns undefined when nothing is shared.
 */
function shared(desc: DescMessage, values: Plain[]): Plain | undefined {
  const out: Plain = {};
  let any = false;
  for (const field of desc.fields) {
    const k = field.localName;
    const first = values[0]![k];
    switch (field.fieldKind) {
      case "scalar":
      case "enum":
        if (isSet(field, first) && values.every((v) => sameValue(v[k], first))) {
          out[k] = first;
          any = true;
        }
        break;
      case "message": {
        if (!values.every((v) => v[k] !== undefined && v[k] !== null)) break;
        // Events of one client share the client's context and identity objects: shared whole, no need to look inside.
        if (values.every((v) => v[k] === first)) {
          out[k] = first;
          any = true;
          break;
        }
        if (WHOLE_VALUE_TYPES.has(field.message.typeName)) {
          if (values.every((v) => sameValue(v[k], first))) {
            out[k] = first;
            any = true;
          }
          break;
        }
        const sub = shared(field.message, values.map((v) => v[k] as Plain));
        if (sub) {
          out[k] = sub;
          any = true;
        }
        break;
      }
      case "map": {
        if (first !== undefined && Object.keys(first as object).length > 0 && values.every((v) => v[k] === first)) {
          out[k] = first;
          any = true;
          break;
        }
        const maps = values.map((v) => (v[k] ?? {}) as Record<string, unknown>);
        const entries = Object.entries(maps[0]!).filter(([key, val]) => maps.every((m) => Object.hasOwn(m, key) && sameValue(m[key], val)));
        if (entries.length > 0) {
          out[k] = Object.fromEntries(entries);
          any = true;
        }
        break;
      }
      case "list":
        break;
    }
  }
  return any ? out : undefined;
}

/** `value` without what `common` holds: the fields the merge would give back from `common` anyway. */
function strip(desc: DescMessage, value: Plain, common: Plain): Plain {
  const out: Plain = { ...value };
  for (const field of desc.fields) {
    const k = field.localName;
    if (common[k] === undefined) continue;
    switch (field.fieldKind) {
      case "scalar":
      case "enum":
        // Unset in the proto3 sense: the zero value for implicit presence, undefined for explicit.
        out[k] = field.presence === 2 /* IMPLICIT */ ? zeroOf(value[k]) : undefined;
        break;
      case "message":
        if (value[k] === common[k] || WHOLE_VALUE_TYPES.has(field.message.typeName)) out[k] = undefined;
        else {
          const rest = strip(field.message, value[k] as Plain, common[k] as Plain);
          out[k] = hasAnySet(field.message, rest) ? rest : undefined;
        }
        break;
      case "map": {
        if (value[k] === common[k]) {
          out[k] = {};
          break;
        }
        const m = { ...(value[k] as Record<string, unknown>) };
        for (const key of Object.keys(common[k] as Plain)) delete m[key];
        out[k] = m;
        break;
      }
      case "list":
        break;
    }
  }
  return out;
}

const zeroOf = (v: unknown): unknown => (typeof v === "string" ? "" : typeof v === "boolean" ? false : typeof v === "bigint" ? 0n : 0);

function hasAnySet(desc: DescMessage, v: Plain): boolean {
  return desc.fields.some((f) => {
    const x = v[f.localName];
    if (f.fieldKind === "map") return x !== undefined && Object.keys(x as Plain).length > 0;
    if (f.fieldKind === "list") return Array.isArray(x) && x.length > 0;
    if (f.fieldKind === "message") return x !== undefined && x !== null;
    return isSet(f, x);
  });
}

/**
 * Splits event headers into a batch `common` header and slimmer per-event headers: every field set to the
 * same value in all headers moves to `common` once and is cleared from the events. Ingest's merge
 * (`expandCommon(common, event)`) gives every original header back exactly. With fewer than two events
 * nothing is extracted.
 */
export function extractCommon(headers: readonly EventHeader[]): { common: EventHeader | undefined; events: EventHeader[] } {
  if (headers.length < 2) return { common: undefined, events: [...headers] };
  const values = headers as unknown as Plain[];
  const common = shared(EventHeaderSchema, values);
  if (!common) return { common: undefined, events: [...headers] };
  return {
    // fromPartial fills the defaults ts-proto's encoder expects on every field.
    common: EventHeader.fromPartial(common as unknown as EventHeader),
    events: values.map((v) => strip(EventHeaderSchema, v, common) as unknown as EventHeader),
  };
}
