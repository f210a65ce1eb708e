import type { SchemaModel } from "./model.js";
import { inRanges, missingRanges, rangeString } from "./tag-ranges.js";
import type { Report } from "./violation.js";

/** Rules over each message present on both sides: deleted fields, reservations, required fields, JSON support. */
export function messageRules(cur: SchemaModel, prev: SchemaModel, report: Report): void {
  for (const [name, pm] of prev.messages) {
    const cm = cur.messages.get(name);
    if (!cm || cm.signature === pm.signature) continue;
    const at = (rule: Parameters<Report>[0], path: string, message: string) => report(rule, path, cm.file, message);

    for (const [n, pf] of pm.fields) {
      if (cm.fields.has(n)) continue;
      const what = `Field ${n} "${pf.name}" was deleted from message "${name}"`;
      if (!inRanges(n, cm.reservedRanges)) {
        at("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", `${name}.${pf.name}`, `${what} without reserving the number ${n}; a new field could reuse it with another type and corrupt old data.`);
      }
      if (!cm.reservedNames.has(pf.name)) {
        at("FIELD_NO_DELETE_UNLESS_NAME_RESERVED", `${name}.${pf.name}`, `${what} without reserving the name "${pf.name}"; a new field could reuse the name and misread old JSON.`);
      }
    }

    for (const { range, missing } of missingRanges(pm.reservedRanges, cm.reservedRanges)) {
      const gone = missing.map((r) => rangeString(r, cm.maxNumber)).join(", ");
      at("RESERVED_MESSAGE_NO_DELETE", name, `Message "${name}" no longer reserves ${gone} (previously reserved ${rangeString(range, pm.maxNumber)}); those numbers could be reused.`);
    }
    for (const reserved of pm.reservedNames) {
      if (!cm.reservedNames.has(reserved)) {
        at("RESERVED_MESSAGE_NO_DELETE", name, `Message "${name}" no longer reserves the name "${reserved}"; it could be reused.`);
      }
    }

    for (const [n, pf] of pm.fields) {
      if (pf.labelRequired && cm.fields.get(n)?.labelRequired !== true) {
        at("MESSAGE_SAME_REQUIRED_FIELDS", `${name}.${pf.name}`, `Message "${name}" no longer has required field ${n} "${pf.name}"; writers that skip it break readers that require it.`);
      }
    }
    for (const [n, cf] of cm.fields) {
      if (cf.labelRequired && pm.fields.get(n)?.labelRequired !== true) {
        at("MESSAGE_SAME_REQUIRED_FIELDS", cf.path, `Message "${name}" gained required field ${n} "${cf.name}"; data from writers that do not know it is rejected.`);
      }
    }

    if (pm.jsonFormatAllowed && !cm.jsonFormatAllowed) {
      at("MESSAGE_SAME_JSON_FORMAT", name, `Message "${name}" no longer supports JSON (json_format changed from ALLOW to LEGACY_BEST_EFFORT).`);
    }
  }
}
