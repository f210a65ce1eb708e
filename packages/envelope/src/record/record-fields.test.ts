import type { DescMessage } from "@bufbuild/protobuf";
import { EventHeaderSchema } from "@trackway/proto/es/event/v1";
import { describe, expect, it } from "vitest";
import { kafkaColumns, odsColumns } from "./flink-columns.js";
import { ODS_PRIMARY_KEY, RECORD_FIELDS } from "./record-fields.js";

/** Every leaf of a message as a dotted path: scalars, maps, lists, and Timestamps as one value. */
function leaves(message: DescMessage, prefix: string): string[] {
  return message.fields.flatMap((f) =>
    f.fieldKind === "message" && f.message.typeName !== "google.protobuf.Timestamp" ? leaves(f.message, `${prefix}${f.name}.`) : [`${prefix}${f.name}`],
  );
}

describe("the enriched record contract", () => {
  it("carries every leaf field of the envelope's header into a column", () => {
    const sources = new Set(Object.values(RECORD_FIELDS).map((f) => f.source));
    const missing = leaves(EventHeaderSchema, "header.").filter((p) => !sources.has(p));
    expect(missing).toEqual([]);
  });

  it("names only envelope paths that exist", () => {
    const known = new Set(leaves(EventHeaderSchema, "header."));
    const unknown = Object.values(RECORD_FIELDS)
      .map((f) => f.source)
      .filter((s) => s.startsWith("header.") && !known.has(s));
    expect(unknown).toEqual([]);
  });

  it("keeps every Kafka column in ods_events, once, with the primary key columns among them", () => {
    const kafka = kafkaColumns().map((c) => c.name);
    const ods = odsColumns();
    expect(ods).toHaveLength(kafka.length);
    expect(new Set(ods.map((c) => c.name)).size).toBe(ods.length);
    for (const k of ODS_PRIMARY_KEY) expect(ods.map((c) => c.name)).toContain(k);
    // Each ODS expression reads its own Kafka field (renamed or converted, never dropped); the partition date
    // is recomputed from the stored event time so that the two always agree.
    kafka.forEach((name, i) => expect(ods[i]!.expr).toContain(name === "event_date" ? "event_time" : name));
  });

  it("reads times as epoch-millisecond BIGINTs and stores them as TIMESTAMP(3)", () => {
    const ods = new Map(odsColumns().map((c) => [c.name, c]));
    for (const t of ["event_time", "client_event_time", "sent_at", "received_at"]) {
      expect(RECORD_FIELDS[t as keyof typeof RECORD_FIELDS].kafka).toBe("BIGINT");
      expect(ods.get(t)?.type).toBe("TIMESTAMP(3)");
    }
  });
});
