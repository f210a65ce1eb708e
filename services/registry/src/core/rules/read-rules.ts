import { getOption, hasOption, toJson, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import { field as fieldRules, FieldRulesSchema, message as messageRules, MessageRulesSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { field as trackwayField, Pii, PiiSchema } from "@trackway/proto/es/options/v1";

/** A contract's protovalidate rules, flattened: `field path` → `rule path` → the rule's value as JSON text. */
export type RuleSet = Map<string, Map<string, string>>;

/**
 * The rule under which a field's personal-data policy (`(trackway.options.v1.field).pii`) is listed, so a PII
 * policy change between versions is reported like a rule change.
 */
export const PII_RULE = "trackway.pii";

/** A field's PII policy name (`PII_HASH`), or undefined when it has none. */
export function piiOf(f: DescMessage["fields"][number]): string | undefined {
  if (!hasOption(f, trackwayField)) return undefined;
  const p = getOption(f, trackwayField).pii;
  return p === Pii.UNSPECIFIED ? undefined : (PiiSchema.values.find((v) => v.number === p)?.name ?? String(p));
}

/** The path under which a message's own rules (CEL, oneof) are listed. */
export const MESSAGE_PATH = "(message)";

// Nested messages are followed this deep; rules further down are not compared.
const MAX_DEPTH = 6;

/** Flattens a rules message's JSON into leaf paths (`int64.gte`); arrays (CEL rules, `in` lists) stay whole. */
function flatten(value: JsonValue, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, JSON.stringify(value));
  }
}

/** Every `buf.validate` rule and PII policy of a message and of the messages its fields hold, by field path. */
export function readRules(desc: DescMessage): RuleSet {
  const out: RuleSet = new Map();
  const walk = (m: DescMessage, prefix: string, depth: number, seen: ReadonlySet<string>) => {
    if (hasOption(m, messageRules)) {
      const rules = new Map<string, string>();
      flatten(toJson(MessageRulesSchema, getOption(m, messageRules), { useProtoFieldName: true }), "", rules);
      if (rules.size > 0) out.set(prefix ? `${prefix}.${MESSAGE_PATH}` : MESSAGE_PATH, rules);
    }
    for (const f of m.fields) {
      const path = prefix ? `${prefix}.${f.name}` : f.name;
      if (hasOption(f, fieldRules)) {
        const rules = new Map<string, string>();
        flatten(toJson(FieldRulesSchema, getOption(f, fieldRules), { useProtoFieldName: true }), "", rules);
        if (rules.size > 0) out.set(path, rules);
      }
      const pii = piiOf(f);
      if (pii) out.set(path, (out.get(path) ?? new Map<string, string>()).set(PII_RULE, JSON.stringify(pii)));
      const child = f.message;
      if (child && depth < MAX_DEPTH && !seen.has(child.typeName) && !child.typeName.startsWith("google.protobuf.")) {
        walk(child, path, depth + 1, new Set([...seen, child.typeName]));
      }
    }
  };
  walk(desc, "", 0, new Set([desc.typeName]));
  return out;
}
