import { RECORD_FIELDS, type RecordField } from "./record-fields.js";

/** One column of a generated Flink table: name, SQL type, and for `ods_events` the expression filling it. */
export interface FlinkColumn {
  name: string;
  type: string;
  /** The SELECT expression over `kafka_events` (ods_events only). */
  expr: string;
}

const fields = (): [string, RecordField][] => Object.entries(RECORD_FIELDS);

/** The columns of `kafka_events`: every record field with the type Flink's json format reads it as. */
export function kafkaColumns(): FlinkColumn[] {
  return fields().map(([name, f]) => ({ name, type: f.kafka, expr: name }));
}

/** The columns of `ods_events`, in order, each with the expression the ODS job fills it from. */
export function odsColumns(): FlinkColumn[] {
  return fields().map(([name, f]) => ({ name: f.ods?.column ?? name, type: f.ods?.type ?? f.kafka, expr: f.ods?.expr ?? name }));
}

/** Column definitions as DDL lines (`  name TYPE,`), the last with a comma too when `trailingComma`. */
export function columnDefinitions(columns: FlinkColumn[], trailingComma: boolean, indent = "  "): string {
  return columns.map((c, i) => `${indent}${c.name} ${c.type}${i < columns.length - 1 || trailingComma ? "," : ""}`).join("\n");
}

/** SELECT list lines (`  expr,`), one per column, annotated with the column name when the expression is not just it. */
export function selectList(columns: FlinkColumn[], indent = "  "): string {
  return columns.map((c, i) => `${indent}${c.expr}${i < columns.length - 1 ? "," : ""}${c.expr === c.name ? "" : ` -- ${c.name}`}`).join("\n");
}
