import type { Value } from "@trackway/proto/compute/v1";
import { DWD_HEADER_COLUMNS, dwdViewName } from "@trackway/warehouse";
import { Refusal } from "../refusal.js";
import { valueLiteral } from "../sql-params.js";
import { identifier } from "../sql-literal.js";

/** A field to filter or break down by: a header column of ods_events, or a typed property of an event's dwd view. */
export type FieldSpec = { header: string } | { property: string };

/** Comparison of a filter. */
export type FilterOp = "EQUALS" | "NOT_EQUALS" | "GREATER" | "LESS" | "IS_SET" | "IS_NOT_SET" | "CONTAINS";

/** One condition on events. */
export interface FilterSpec {
  field: FieldSpec;
  op: FilterOp;
  values: Value[];
}

/** Header columns of ods_events that may be filtered or broken down by (not the tenant, ids or payload). */
export const HEADER_FIELDS: readonly string[] = [
  "event_name", "schema_version", "user_key", "user_id", "anonymous_id", "device_id", "session_id",
  "app_name", "app_version", "os_name", "os_version", "device_manufacturer", "device_model", "device_type",
  "locale", "timezone", "library_name", "library_version", "page_path", "page_url", "page_title", "screen_name",
  "referrer_type", "referrer_url", "campaign_name", "campaign_source", "campaign_medium", "event_date",
];

const DWD_HEADERS = new Set<string>(DWD_HEADER_COLUMNS);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether a field is a typed property (read from the event's dwd view). */
export const isProperty = (f: FieldSpec): f is { property: string } => "property" in f;

/** The SQL expression of a field over the view a series reads; checks the name so no caller text becomes SQL. */
export function fieldSql(f: FieldSpec, typedView: boolean): string {
  if (isProperty(f)) {
    const parts = f.property.split(".");
    if (parts.some((p) => !NAME.test(p))) throw new Refusal("ARGUMENT_INVALID", `property "${f.property}" is not a dotted path of field names`);
    // dwdViewSql renames a property clashing with a header column to p_<name>.
    if (DWD_HEADERS.has(parts[0]!)) parts[0] = `p_${parts[0]}`;
    return parts.map(identifier).join(".");
  }
  if (!HEADER_FIELDS.includes(f.header)) throw new Refusal("ARGUMENT_INVALID", `"${f.header}" is not a header column one can filter or break down by`);
  if (typedView && !DWD_HEADERS.has(f.header)) {
    throw new Refusal("ARGUMENT_INVALID", `header column "${f.header}" is not in the typed views; combine it with header fields or ${[...DWD_HEADERS].join(", ")}`);
  }
  return identifier(f.header);
}

/** The SQL condition of a filter; values become typed literals, never SQL text. */
export function filterSql(filter: FilterSpec, typedView: boolean): string {
  const col = fieldSql(filter.field, typedView);
  const lits = filter.values.map((v, i) => valueLiteral(`filter value ${i + 1}`, v));
  const one = (): string => {
    if (lits.length !== 1) throw new Refusal("ARGUMENT_INVALID", `filter ${filter.op} takes exactly one value`);
    return lits[0]!;
  };
  switch (filter.op) {
    case "EQUALS":
    case "NOT_EQUALS":
      if (lits.length === 0) throw new Refusal("ARGUMENT_INVALID", `filter ${filter.op} needs at least one value`);
      return `${col} ${filter.op === "EQUALS" ? "" : "NOT "}IN (${lits.join(", ")})`;
    case "GREATER":
      return `${col} > ${one()}`;
    case "LESS":
      return `${col} < ${one()}`;
    case "CONTAINS":
      return `POSITION(${one()} IN CAST(${col} AS STRING)) > 0`;
    case "IS_SET":
    case "IS_NOT_SET":
      if (lits.length > 0) throw new Refusal("ARGUMENT_INVALID", `filter ${filter.op} takes no value`);
      return `${col} IS ${filter.op === "IS_SET" ? "NOT " : ""}NULL`;
  }
}

/** The view a series over one event reads: its typed dwd view when a property is involved, else ods_events. */
export function sourceView(eventName: string, fields: readonly FieldSpec[]): { view: string; typed: boolean } {
  return fields.some(isProperty) ? { view: dwdViewName(eventName), typed: true } : { view: "ods_events", typed: false };
}

/** A breakdown value as text: NULL becomes `(none)`, so it can be told apart from the empty string. */
export const breakdownText = (expr: string): string => `COALESCE(CAST(${expr} AS STRING), '(none)')`;
