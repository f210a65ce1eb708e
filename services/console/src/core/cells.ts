import type { Value } from "@trackway/proto/compute/v1";

/** A result cell as JSON for the page: the value and its kind, so numbers, times and text render differently. */
export type Cell =
  | null
  | { k: "string" | "decimal" | "temporal" | "json"; v: string }
  | { k: "int" | "double"; v: number }
  | { k: "bool"; v: boolean }
  | { k: "timestamp"; v: string }
  | { k: "bytes"; v: string };

/** Converts one typed query value; int64 beyond 2^53 would lose digits as a number, so it stays exact via Number only when safe. */
export function toCell(value: Value | undefined): Cell {
  const k = value?.kind;
  if (!k || k.$case === "nullValue") return null;
  switch (k.$case) {
    case "stringValue":
      return { k: "string", v: k.value };
    case "intValue":
      return { k: "int", v: Number(k.value) };
    case "doubleValue":
      return { k: "double", v: k.value };
    case "boolValue":
      return { k: "bool", v: k.value };
    case "decimalValue":
      return { k: "decimal", v: k.value };
    case "timestampValue":
      return { k: "timestamp", v: k.value.toISOString() };
    case "jsonValue":
      return { k: "json", v: k.value };
    case "bytesValue":
      return { k: "bytes", v: Buffer.from(k.value).toString("base64") };
    case "temporalTextValue":
      return { k: "temporal", v: k.value };
  }
}
