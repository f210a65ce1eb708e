/** The rules of buf's WIRE_JSON breaking category (buf 1.75), by buf's ids: exactly what `breakingChanges` checks. */
export const WIRE_JSON_RULES = [
  "ENUM_SAME_JSON_FORMAT",
  "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
  "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
  "ENUM_VALUE_SAME_NAME",
  "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
  "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
  "FIELD_SAME_DEFAULT",
  "FIELD_SAME_JSON_NAME",
  "FIELD_SAME_NAME",
  "FIELD_SAME_ONEOF",
  "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY",
  "FIELD_WIRE_JSON_COMPATIBLE_TYPE",
  "FILE_SAME_PACKAGE",
  "MESSAGE_SAME_JSON_FORMAT",
  "MESSAGE_SAME_REQUIRED_FIELDS",
  "RESERVED_ENUM_NO_DELETE",
  "RESERVED_MESSAGE_NO_DELETE",
  "RPC_SAME_CLIENT_STREAMING",
  "RPC_SAME_IDEMPOTENCY_LEVEL",
  "RPC_SAME_REQUEST_TYPE",
  "RPC_SAME_RESPONSE_TYPE",
  "RPC_SAME_SERVER_STREAMING",
] as const;

/** One of buf's WIRE_JSON rule ids. */
export type RuleId = (typeof WIRE_JSON_RULES)[number];

/** One breaking change: buf's rule id, the element's path (e.g. `shop.v1.Order.total`) and a sentence for people. */
export interface Violation {
  rule: string;
  path: string;
  message: string;
  /** The stored version the candidate was compared with (set by checkCompatibility). */
  againstVersion?: number;
  /** BACKWARD: the candidate breaks readers of the old version's data; FORWARD: the old version cannot read the candidate's. */
  direction?: "BACKWARD" | "FORWARD";
  /** The file (of the newer side) holding the element. */
  file?: string;
}

/** Collects violations during one comparison. */
export type Report = (rule: RuleId, path: string, file: string, message: string) => void;

/** Violations in a stable order: by path, then rule, then message. */
export function sortViolations(vs: Violation[]): Violation[] {
  const key = (v: Violation) => `${v.againstVersion ?? ""}\u0000${v.direction ?? ""}\u0000${v.path}\u0000${v.rule}\u0000${v.message}`;
  return vs.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
