import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { typedViewName } from "@trackway/envelope";

/** Header columns every typed per-event view carries before the event's own properties. */
export const DWD_HEADER_COLUMNS = [
  "event_id", "tenant", "event_name", "schema_id", "schema_version", "event_time", "received_at", "user_key",
  "user_id", "anonymous_id", "device_id", "session_id", "app_name", "os_name", "device_type", "locale",
  "page_path", "screen_name", "campaign_name", "campaign_source", "campaign_medium", "event_date",
] as const;

// Wrapper types map to their value; protobuf's JSON mapping writes them as the bare value.
const WRAPPERS: Record<string, string> = {
  "google.protobuf.StringValue": "STRING",
  "google.protobuf.BoolValue": "BOOLEAN",
  "google.protobuf.Int32Value": "INT",
  "google.protobuf.UInt32Value": "BIGINT",
  "google.protobuf.Int64Value": "BIGINT",
  "google.protobuf.UInt64Value": "DECIMAL(20, 0)",
  "google.protobuf.FloatValue": "FLOAT",
  "google.protobuf.DoubleValue": "DOUBLE",
  "google.protobuf.BytesValue": "STRING",
};

const MAX_DEPTH = 6;

/** The Flink SQL type of a scalar field in protobuf's JSON mapping (64-bit integers arrive as strings and are cast). */
function scalarType(t: ScalarType): string {
  switch (t) {
    case ScalarType.BOOL:
      return "BOOLEAN";
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return "INT";
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return "BIGINT";
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return "DECIMAL(20, 0)";
    case ScalarType.FLOAT:
      return "FLOAT";
    case ScalarType.DOUBLE:
      return "DOUBLE";
    default:
      return "STRING"; // string, and bytes as base64 text
  }
}

const q = (s: string): string => s.replace(/'/g, "''");
const ident = (s: string): string => `\`${s.replace(/`/g, "``")}\``;

/** One column of a typed view: its SQL type and the expression reading it from the properties JSON. */
interface Column {
  name: string;
  type: string;
  expr: string;
}

function valueOf(path: string, type: string): string {
  return type === "STRING" ? `JSON_VALUE(properties, '${q(path)}')` : `CAST(JSON_VALUE(properties, '${q(path)}') AS ${type})`;
}

function column(field: DescField, parent: string, depth: number): Column {
  const path = `${parent}.${field.name}`;
  const name = field.name;
  if (field.fieldKind === "list" || field.fieldKind === "map") {
    // Repeated fields and maps stay JSON text: Flink 1.17 has no JSON-to-ARRAY/MAP function.
    return { name, type: "STRING", expr: `JSON_QUERY(properties, '${q(path)}')` };
  }
  if (field.fieldKind === "enum") return { name, type: "STRING", expr: valueOf(path, "STRING") };
  if (field.fieldKind === "scalar") {
    const type = scalarType(field.scalar);
    return { name, type, expr: valueOf(path, type) };
  }
  const msg = field.message;
  if (msg.typeName === "google.protobuf.Timestamp") {
    // RFC 3339 with a `Z` in protobuf's JSON mapping: made into a UTC TIMESTAMP(3).
    return { name, type: "TIMESTAMP(3)", expr: `CAST(REPLACE(REPLACE(JSON_VALUE(properties, '${q(path)}'), 'T', ' '), 'Z', '') AS TIMESTAMP(3))` };
  }
  const wrapped = WRAPPERS[msg.typeName];
  if (wrapped) return { name, type: wrapped, expr: valueOf(path, wrapped) };
  if (msg.typeName.startsWith("google.protobuf.") || depth >= MAX_DEPTH) {
    // Struct, Value, Any, Duration…, and recursion past MAX_DEPTH: kept as JSON text.
    return { name, type: "STRING", expr: `JSON_QUERY(properties, '${q(path)}')` };
  }
  const inner = msg.fields.map((f) => column(f, path, depth + 1));
  const type = `ROW<${inner.map((c) => `${ident(c.name)} ${c.type}`).join(", ")}>`;
  // Only the outermost ROW gets a CAST to its named type: Flink 1.17 refuses a CAST(ROW(…)) nested inside a ROW
  // (UnsupportedOperationException from Calcite), while a plain nested ROW takes its names from the outer CAST.
  const row = `ROW(${inner.map((c) => c.expr).join(", ")})`;
  return { name, type, expr: depth === 0 ? `CAST(${row} AS ${type})` : row };
}

/** Name of the typed view of an event name, for example `dwd_checkout_order_completed` (the envelope package's rule). */
export const dwdViewName = typedViewName;

/** The columns a typed view has: the header columns, then one per property field (nested messages as ROW). */
export function dwdColumns(message: DescMessage): { name: string; type: string }[] {
  return message.fields.map((f) => column(f, "$", 0)).map(({ name, type }) => ({ name, type }));
}

/**
 * The Flink SQL of an event type's typed view over `ods_events`: header columns plus each property field as a
 * typed column (nested messages as ROW types, repeated fields and maps as JSON text). Regenerate it when a new
 * schema version is registered; fields a version lacks read as NULL.
 */
export function dwdViewSql(eventName: string, message: DescMessage, source = "ods_events"): string {
  const props = message.fields.map((f) => column(f, "$", 0));
  const header = DWD_HEADER_COLUMNS.map(ident);
  const clash = new Set<string>(DWD_HEADER_COLUMNS);
  const select = [...header, ...props.map((c) => `${c.expr} AS ${ident(clash.has(c.name) ? `p_${c.name}` : c.name)}`)];
  return `CREATE TEMPORARY VIEW IF NOT EXISTS ${ident(dwdViewName(eventName))} AS\nSELECT\n  ${select.join(",\n  ")}\nFROM ${ident(source)}\nWHERE event_name = '${q(eventName)}'`;
}
