import type { Column, Value } from "@trackway/proto/compute/v1";
import { JsonNumber, stringifyLossless, type LosslessValue } from "@trackway/flink";

/** A Flink logical type as the SQL Gateway describes it in JSON (`{"type": "DECIMAL", "precision": 10, …}`). */
export interface LogicalTypeJson {
  type: string;
  nullable?: boolean;
  length?: number;
  precision?: number;
  scale?: number;
  elementType?: LogicalTypeJson;
  keyType?: LogicalTypeJson;
  valueType?: LogicalTypeJson;
  fields?: { name: string; fieldType: LogicalTypeJson }[];
}

const MAX_LENGTH = 2147483647;

/** Flink SQL's text of a logical type, as in DDL: `STRING`, `TIMESTAMP(3)`, `MAP<STRING, BIGINT> NOT NULL`. */
export function typeText(t: LogicalTypeJson): string {
  const notNull = t.nullable === false ? " NOT NULL" : "";
  const p = (x: number | undefined) => (x === undefined ? "" : `(${x})`);
  let base: string;
  switch (t.type) {
    case "VARCHAR":
      base = t.length === MAX_LENGTH ? "STRING" : `VARCHAR${p(t.length)}`;
      break;
    case "VARBINARY":
      base = t.length === MAX_LENGTH ? "BYTES" : `VARBINARY${p(t.length)}`;
      break;
    case "CHAR":
    case "BINARY":
      base = `${t.type}${p(t.length)}`;
      break;
    case "INTEGER":
      base = "INT";
      break;
    case "DECIMAL":
      base = `DECIMAL(${t.precision ?? 10}, ${t.scale ?? 0})`;
      break;
    case "TIME_WITHOUT_TIME_ZONE":
      base = `TIME${p(t.precision)}`;
      break;
    case "TIMESTAMP_WITHOUT_TIME_ZONE":
      base = `TIMESTAMP${p(t.precision)}`;
      break;
    case "TIMESTAMP_WITH_LOCAL_TIME_ZONE":
      base = `TIMESTAMP_LTZ${p(t.precision)}`;
      break;
    case "TIMESTAMP_WITH_TIME_ZONE":
      base = `TIMESTAMP${p(t.precision)} WITH TIME ZONE`;
      break;
    case "ARRAY":
    case "MULTISET":
      base = `${t.type}<${t.elementType ? typeText(t.elementType) : "?"}>`;
      break;
    case "MAP":
      base = `MAP<${t.keyType ? typeText(t.keyType) : "?"}, ${t.valueType ? typeText(t.valueType) : "?"}>`;
      break;
    case "ROW":
      base = `ROW<${(t.fields ?? []).map((f) => `\`${f.name.replace(/`/g, "``")}\` ${typeText(f.fieldType)}`).join(", ")}>`;
      break;
    default:
      base = t.type;
  }
  return base + notNull;
}

/** A result column for the caller. */
export function toColumn(name: string, t: LogicalTypeJson): Column {
  return { name, type: typeText(t), nullable: t.nullable !== false };
}

const TIMESTAMP = /^(\d{4,})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z)?$/;

/** An instant from the gateway's timestamp text; a TIMESTAMP without zone is read as UTC, as the warehouse stores it. */
export function parseTimestamp(text: string): Date | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const ms = Number((m[7] ?? "0").padEnd(3, "0").slice(0, 3));
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), ms));
}

const str = (v: LosslessValue): string => (typeof v === "string" ? v : stringifyLossless(v));
const num = (v: LosslessValue): number => (v instanceof JsonNumber ? v.toNumber() : Number(v));

/** The Value of one result cell of a column of type `t`. */
export function toValue(cell: LosslessValue, t: LogicalTypeJson): Value {
  if (cell === null) return { kind: { $case: "nullValue", value: true } };
  switch (t.type) {
    case "CHAR":
    case "VARCHAR":
      return { kind: { $case: "stringValue", value: str(cell) } };
    case "TINYINT":
    case "SMALLINT":
    case "INTEGER":
    case "BIGINT":
      return { kind: { $case: "intValue", value: num(cell) } };
    case "FLOAT":
    case "DOUBLE":
      return { kind: { $case: "doubleValue", value: num(cell) } };
    case "BOOLEAN":
      return { kind: { $case: "boolValue", value: cell === true } };
    case "DECIMAL":
      return { kind: { $case: "decimalValue", value: cell instanceof JsonNumber ? cell.text : str(cell) } };
    case "TIMESTAMP_WITHOUT_TIME_ZONE":
    case "TIMESTAMP_WITH_LOCAL_TIME_ZONE":
    case "TIMESTAMP_WITH_TIME_ZONE": {
      const d = typeof cell === "string" ? parseTimestamp(cell) : undefined;
      return d ? { kind: { $case: "timestampValue", value: d } } : { kind: { $case: "temporalTextValue", value: str(cell) } };
    }
    case "DATE":
    case "TIME_WITHOUT_TIME_ZONE":
    case "INTERVAL_YEAR_MONTH":
    case "INTERVAL_DAY_TIME":
      return { kind: { $case: "temporalTextValue", value: str(cell) } };
    case "BINARY":
    case "VARBINARY":
      return { kind: { $case: "bytesValue", value: Buffer.from(str(cell), "base64") } };
    default:
      return { kind: { $case: "jsonValue", value: stringifyLossless(cell) } };
  }
}

/** A plain JavaScript value of a Value (for people and tests): numbers, strings, Dates, Buffers, parsed JSON. */
export function plainValue(v: Value | undefined): unknown {
  const k = v?.kind;
  if (!k || k.$case === "nullValue") return null;
  if (k.$case === "jsonValue") return JSON.parse(k.value) as unknown;
  return k.value;
}
