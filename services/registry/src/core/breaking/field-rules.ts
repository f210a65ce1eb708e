import { defaultsEqual, isZeroDefault } from "./field-default.js";
import type { FieldKind, FieldModel, SchemaModel } from "./model.js";
import type { Report } from "./violation.js";

// buf's fieldKindToWireJSONCompatibilityGroup: kinds in one group are interchangeable on the wire AND in JSON.
const WIRE_JSON_GROUP: Record<FieldKind, number> = {
  int32: 1, uint32: 1, int64: 2, uint64: 2, fixed32: 3, sfixed32: 3, fixed64: 4, sfixed64: 4, bool: 5, sint32: 6,
  sint64: 7, string: 8, bytes: 9, double: 10, float: 11, group: 12, message: 13, enum: 14,
};
// Maps and repeated fields share the wire format but not the JSON one.
const CARDINALITY_GROUP = { "optional with explicit presence": 1, "optional with implicit presence": 1, required: 2, repeated: 3, map: 4 };

/** Runs the field-pair rules on every field (by message full name and number) and extension (by extendee and number) on both sides. */
export function fieldRules(cur: SchemaModel, prev: SchemaModel, report: Report): void {
  for (const [name, pm] of prev.messages) {
    const cm = cur.messages.get(name);
    if (!cm || cm.signature === pm.signature) continue;
    for (const [n, pf] of pm.fields) {
      const cf = cm.fields.get(n);
      if (cf) compareFields(cf, pf, cur, prev, report);
    }
  }
  for (const [extendee, pexts] of prev.extensions) {
    const cexts = cur.extensions.get(extendee);
    for (const [n, pf] of pexts) {
      const cf = cexts?.get(n);
      if (cf) compareFields(cf, pf, cur, prev, report);
    }
  }
}

const describe = (f: FieldModel) => `${f.extendee ? "Extension" : "Field"} ${f.number} "${f.extendee ? f.path : f.name}" on ${f.extendee ? "extendee" : "message"} "${f.owner}"`;

function compareFields(cf: FieldModel, pf: FieldModel, cur: SchemaModel, prev: SchemaModel, report: Report): void {
  const at = (rule: Parameters<Report>[0], message: string) => report(rule, cf.path, cf.file, message);
  const isExt = pf.extendee !== undefined;

  const [pName, cName] = isExt ? [pf.path, cf.path] : [pf.name, cf.name];
  if (pName !== cName) {
    at("FIELD_SAME_NAME", `${cf.extendee ? "Extension" : "Field"} ${cf.number} on "${cf.owner}" was renamed from "${pName}" to "${cName}"; JSON and text encodings use the name, so data written with one name is lost under the other.`);
  }
  if (!isExt && pf.jsonName !== cf.jsonName) {
    at("FIELD_SAME_JSON_NAME", `${describe(cf)} changed its JSON name from "${pf.jsonName}" to "${cf.jsonName}"; JSON written by one version is not read by the other.`);
  }
  if (!isExt && pf.oneof !== cf.oneof) {
    const move = pf.oneof && cf.oneof ? `from oneof "${pf.oneof}" to oneof "${cf.oneof}"`
      : cf.oneof ? `into oneof "${cf.oneof}"` : `out of oneof "${pf.oneof}"`;
    at("FIELD_SAME_ONEOF", `${describe(cf)} moved ${move}; setting it can now clear (or no longer clear) other fields.`);
  }
  checkType(cf, pf, cur, prev, at);
  if (!(pf.inMapEntry && cf.inMapEntry) && CARDINALITY_GROUP[pf.cardinality] !== CARDINALITY_GROUP[cf.cardinality]) {
    at("FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY", `${describe(cf)} changed cardinality from ${pf.cardinality} to ${cf.cardinality}, which is not compatible on the wire or in JSON.`);
  }
  const [pd, cd] = [pf.defaultValue, cf.defaultValue];
  if (pd && cd && !(isZeroDefault(pd) && isZeroDefault(cd)) && !defaultsEqual(pd, cd)) {
    at("FIELD_SAME_DEFAULT", `${describe(cf)} changed its default value from ${pd.printable} to ${cd.printable}; readers of unset fields would see different values.`);
  }
}

function checkType(cf: FieldModel, pf: FieldModel, cur: SchemaModel, prev: SchemaModel, at: (rule: "FIELD_WIRE_JSON_COMPATIBLE_TYPE", m: string) => void): void {
  if (WIRE_JSON_GROUP[pf.kind] !== WIRE_JSON_GROUP[cf.kind]) {
    at("FIELD_WIRE_JSON_COMPATIBLE_TYPE", `${describe(cf)} changed type from ${pf.kind} to ${cf.kind}, which is not compatible on the wire or in JSON.`);
    return;
  }
  if (pf.typeName === cf.typeName) return;
  const changed = () => at("FIELD_WIRE_JSON_COMPATIBLE_TYPE", `${describe(cf)} changed type from ${pf.typeName} to ${cf.typeName}.`);
  if (cf.kind !== "enum") return changed();
  // buf accepts another enum with the same short name that keeps every old value (name and number).
  const pe = prev.registry.getEnum(pf.typeName);
  const ce = cur.registry.getEnum(cf.typeName);
  if (!pe || !ce || pe.name !== ce.name) return changed();
  const keeps = pe.values.every((pv) => ce.values.some((cv) => cv.name === pv.name && cv.number === pv.number));
  if (!keeps) changed();
}
