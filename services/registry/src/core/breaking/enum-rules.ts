import type { SchemaModel } from "./model.js";
import { inRanges, missingRanges, rangeString } from "./tag-ranges.js";
import type { Report } from "./violation.js";

const ENUM_MAX = 2147483647;

/** Rules over each enum present on both sides: deleted values, renamed values, reservations, JSON support. */
export function enumRules(cur: SchemaModel, prev: SchemaModel, report: Report): void {
  for (const [name, pe] of prev.enums) {
    const ce = cur.enums.get(name);
    if (!ce || ce.signature === pe.signature) continue;
    const at = (rule: Parameters<Report>[0], path: string, message: string) => report(rule, path, ce.file, message);

    for (const [n, pnames] of pe.valuesByNumber) {
      const cnames = ce.valuesByNumber.get(n);
      const quoted = pnames.map((p) => `"${p}"`).join(", ");
      if (!cnames) {
        const what = `Enum value ${n} (${quoted}) was deleted from enum "${name}"`;
        if (!inRanges(n, ce.reservedRanges)) {
          at("ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", `${name}.${pnames[0]}`, `${what} without reserving the number ${n}; a new value could reuse it with another meaning.`);
        }
        if (!pnames.every((p) => ce.reservedNames.has(p))) {
          at("ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", `${name}.${pnames[0]}`, `${what} without reserving its name; JSON carrying the name would no longer parse, or parse as a reused name.`);
        }
      } else if (!pnames.every((p) => cnames.includes(p))) {
        // New aliases are fine; every old name must stay (JSON carries enum values by name).
        at("ENUM_VALUE_SAME_NAME", `${name}.${cnames[0]}`, `Enum value ${n} on enum "${name}" changed name from ${quoted} to ${cnames.map((c) => `"${c}"`).join(", ")}; JSON written with the old name no longer parses.`);
      }
    }

    for (const { range, missing } of missingRanges(pe.reservedRanges, ce.reservedRanges)) {
      const gone = missing.map((r) => rangeString(r, ENUM_MAX)).join(", ");
      at("RESERVED_ENUM_NO_DELETE", name, `Enum "${name}" no longer reserves ${gone} (previously reserved ${rangeString(range, ENUM_MAX)}); those numbers could be reused.`);
    }
    for (const reserved of pe.reservedNames) {
      if (!ce.reservedNames.has(reserved)) {
        at("RESERVED_ENUM_NO_DELETE", name, `Enum "${name}" no longer reserves the name "${reserved}"; it could be reused.`);
      }
    }

    if (pe.jsonFormatAllowed && !ce.jsonFormatAllowed) {
      at("ENUM_SAME_JSON_FORMAT", name, `Enum "${name}" no longer supports JSON (json_format changed from ALLOW to LEGACY_BEST_EFFORT).`);
    }
  }
}
