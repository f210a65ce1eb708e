import { createHmac } from "node:crypto";
import type { DescField, DescMessage, JsonObject, JsonValue } from "@bufbuild/protobuf";
import { getOption, hasOption } from "@bufbuild/protobuf";
import { field as trackwayField, Pii } from "@trackway/proto/es/options/v1";

/** A tenant's pseudonymiser: HMAC-SHA256 with the tenant's secret salt, lower-case hex (stable, so joins and uniques work). */
export type Hasher = (value: string) => string;

/** The hasher of a tenant whose secret salt is `salt`. */
export const hmacHasher = (salt: Uint8Array): Hasher => (value) => createHmac("sha256", salt).update(value, "utf8").digest("hex");

/** Every character but the last four replaced by `*` (a value of four characters or fewer is masked whole). */
export function mask(value: string): string {
  const chars = [...value];
  const keep = chars.length > 4 ? 4 : 0;
  return "*".repeat(chars.length - keep) + chars.slice(chars.length - keep).join("");
}

const text = (v: JsonValue): string => (typeof v === "string" ? v : JSON.stringify(v));

/** A field's PII policy, UNSPECIFIED when it has none. */
export function piiOf(f: DescField): Pii {
  return hasOption(f, trackwayField) ? getOption(f, trackwayField).pii : Pii.UNSPECIFIED;
}

/** Whether a message, or one it holds, marks any field (answered once per message type). */
const marked = new WeakMap<DescMessage, boolean>();
export function hasPii(desc: DescMessage, seen = new Set<string>()): boolean {
  const known = marked.get(desc);
  if (known !== undefined) return known;
  seen.add(desc.typeName);
  const r = desc.fields.some((f) => piiOf(f) !== Pii.UNSPECIFIED || (f.message !== undefined && !seen.has(f.message.typeName) && hasPii(f.message, seen)));
  marked.set(desc, r);
  return r;
}

function applyValue(p: Pii, v: JsonValue, hash: Hasher): JsonValue {
  if (v === null) return v;
  if (Array.isArray(v)) return v.map((x) => applyValue(p, x, hash));
  return p === Pii.HASH ? hash(text(v)) : mask(text(v));
}

/**
 * Applies the contract's PII marks to an event's properties (protobuf JSON with .proto field names), in place:
 * DROP removes the field, HASH replaces each value (or each element of a repeated field) with the tenant's
 * HMAC, MASK keeps only its last four characters. Nested messages (also repeated ones, and map values) are followed.
 * Non-string values are hashed or masked as their JSON text, so a marked number becomes a string.
 */
export function applyPropertiesPii(desc: DescMessage, json: JsonObject, hash: Hasher): void {
  for (const f of desc.fields) {
    const name = f.name;
    if (!(name in json)) continue;
    const p = piiOf(f);
    if (p === Pii.DROP) {
      delete json[name];
    } else if (p === Pii.HASH || p === Pii.MASK) {
      const v = json[name]!;
      json[name] = f.fieldKind === "map" && v !== null && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, applyValue(p, x, hash)]))
        : applyValue(p, v, hash);
    } else if (f.message && hasPii(f.message)) {
      const v = json[name];
      const each = (x: JsonValue) => {
        if (x !== null && typeof x === "object" && !Array.isArray(x)) applyPropertiesPii(f.message!, x, hash);
      };
      if (f.fieldKind === "map" && v && typeof v === "object" && !Array.isArray(v)) Object.values(v).forEach(each);
      else if (Array.isArray(v)) v.forEach(each);
      else if (v !== undefined) each(v);
    }
  }
}
