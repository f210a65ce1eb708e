import { readFileSync } from "node:fs";
import path from "node:path";
import { create, toBinary, type DescMessage } from "@bufbuild/protobuf";
import { UnaryTransport } from "@trackway/client";
import type { RunningIngest } from "@trackway/ingest";
import { EventBatch, type EventHeader, type DeepPartial } from "@trackway/proto/event/v1";
import { credentials, Metadata } from "@grpc/grpc-js";
import { IngestServiceClient, SendBatchRequest, type BatchResult, type EventRejection, type GetEventStatsResponse } from "@trackway/proto/ingest/v1";
import { EnforcementMode } from "@trackway/proto/registry/v1";
import { loadSchema } from "@trackway/registry-client";
import { repoRoot } from "@trackway/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestWorld, readTopic, type IngestWorld } from "../../support/index.js";

const SOURCE = readFileSync(path.join(repoRoot, "tests/fixtures/contracts/order_checked.proto"), "utf8");
const MESSAGE = "shopit.v1.OrderChecked";

let w: IngestWorld;
let ingest: RunningIngest;
let desc: DescMessage;

/** Subjects with the same contract, one per enforcement: subject REJECT (default), subject WARN, subject WARN with version 1 OFF. */
const SUBJECTS = { reject: "shopit.order_reject", warn: "shopit.order_warn", off: "shopit.order_off" } as const;

beforeAll(async () => {
  w = await ingestWorld();
  for (const subject of Object.values(SUBJECTS)) {
    const { schema } = await w.registry.client.registerSchema({ subject, protoSource: SOURCE, messageName: MESSAGE, fileName: "shopit/order_checked.proto", author: "it" });
    desc = loadSchema(schema!.descriptorSet, schema!.messageName).message;
  }
  await w.registry.client.setEnforcement({ subject: SUBJECTS.warn, mode: EnforcementMode.ENFORCEMENT_MODE_WARN, actor: "it" });
  await w.registry.client.setEnforcement({ subject: SUBJECTS.off, mode: EnforcementMode.ENFORCEMENT_MODE_WARN, actor: "it" });
  await w.registry.client.setEnforcement({ subject: SUBJECTS.off, version: 1, mode: EnforcementMode.ENFORCEMENT_MODE_OFF, actor: "it" });
  ingest = await w.startIngest();
}, 120_000);
afterAll(() => w?.stop());

const good = { orderId: "o-1", totalCents: 4599n, itemCount: 2, email: "ann@example.com", currency: "EUR", discountCents: 500n };
/** One violating order per rule kind, with the (field path, rule id) pairs protovalidate must report. */
const BAD: { name: string; props: Partial<typeof good>; expect: [string, string][] }[] = [
  { name: "range", props: { totalCents: -5n }, expect: [["total_cents", "int64.gte_lte"], ["", "order.discount_within_total"]] },
  { name: "required", props: { orderId: "" }, expect: [["order_id", "required"]] },
  { name: "email", props: { email: "not-an-email" }, expect: [["email", "string.email"]] },
  { name: "pattern", props: { currency: "eur" }, expect: [["currency", "string.pattern"]] },
  { name: "cel", props: { discountCents: 9999n }, expect: [["", "order.discount_within_total"]] },
  { name: "two-fields", props: { itemCount: 0, email: "x" }, expect: [["item_count", "int32.gte_lte"], ["email", "string.email"]] },
];

const props = (p: Partial<typeof good>) => Buffer.from(toBinary(desc, create(desc, { ...good, ...p })));

function send(subject: string, batchId: string): Promise<BatchResult> {
  const common: DeepPartial<EventHeader> = { eventName: subject, schemaVersion: 1, identity: { userId: "u-1" } };
  const events = [
    { header: { eventId: `${batchId}-good` }, properties: props({}) },
    ...BAD.map((b) => ({ header: { eventId: `${batchId}-${b.name}` }, properties: props(b.props) })),
  ];
  const batch = EventBatch.fromPartial({ batchId, sentAt: new Date(), common, events });
  return new UnaryTransport({ address: ingest.address, apiKey: w.apiKey, compression: "gzip" }).send(SendBatchRequest.encode({ batch }).finish(), 60_000);
}

const pairs = (vs: { fieldPath: string; ruleId: string }[]) => vs.map((v) => [v.fieldPath, v.ruleId]).sort();

describe("contract rules at ingest", () => {
  it("REJECT: each violating event is rejected with CONTRACT_VIOLATION and every broken rule's field path, id and message", async () => {
    const r = await send(SUBJECTS.reject, "c-rej");
    expect(r.accepted).toBe(1);
    expect(r.rejections.map((x) => [x.index, x.eventId, x.reason])).toEqual(BAD.map((b, i) => [i + 1, `c-rej-${b.name}`, "CONTRACT_VIOLATION"]));
    BAD.forEach((b, i) => {
      const rej = r.rejections[i] as EventRejection;
      expect(pairs(rej.violations)).toEqual([...b.expect].sort());
      for (const v of rej.violations) expect(v.message.length).toBeGreaterThan(0);
    });
    const rejected = await readTopic(w.brokers, w.topics.rejected, (rs) => rs.filter((x) => String(x.value.batch_id) === "c-rej").length >= BAD.length);
    const mine = rejected.filter((x) => x.value.batch_id === "c-rej");
    expect(mine.map((x) => x.value.reason)).toEqual(BAD.map(() => "CONTRACT_VIOLATION"));
    expect(mine.find((x) => x.value.event_id === "c-rej-cel")!.value.violations).toEqual([
      { field_path: "", rule_id: "order.discount_within_total", message: "discount_cents must not exceed total_cents" },
    ]);
  });

  it("WARN: violating events are accepted, their violations returned as warnings and kept in the record", async () => {
    const r = await send(SUBJECTS.warn, "c-warn");
    expect(r).toMatchObject({ accepted: BAD.length + 1, rejected: 0 });
    expect(r.warnings.map((x) => [x.index, x.reason])).toEqual(BAD.map((_, i) => [i + 1, "CONTRACT_VIOLATION"]));
    BAD.forEach((b, i) => expect(pairs(r.warnings[i]!.violations)).toEqual([...b.expect].sort()));
    const events = await readTopic(w.brokers, w.topics.events, (rs) => rs.filter((x) => x.value.batch_id === "c-warn").length >= BAD.length + 1);
    const mine = events.filter((x) => x.value.batch_id === "c-warn");
    expect(mine.find((x) => x.value.event_id === "c-warn-good")!.value.warnings).toBeUndefined();
    const email = mine.find((x) => x.value.event_id === "c-warn-email")!.value;
    expect(email.warnings).toEqual(["CONTRACT_VIOLATION", "CONTRACT_VIOLATION:email:string.email"]);
  });

  it("OFF on the version wins over the subject's WARN: nothing is checked", async () => {
    const r = await send(SUBJECTS.off, "c-off");
    expect(r).toMatchObject({ accepted: BAD.length + 1, rejected: 0, warnings: [] });
  });

  it("the registry answers the mode in force per version", async () => {
    const mode = async (subject: string) => (await w.registry.client.getSchema({ subject, version: 1 })).schema!.enforcement;
    expect(await mode(SUBJECTS.reject)).toBe(EnforcementMode.ENFORCEMENT_MODE_REJECT);
    expect(await mode(SUBJECTS.warn)).toBe(EnforcementMode.ENFORCEMENT_MODE_WARN);
    expect(await mode(SUBJECTS.off)).toBe(EnforcementMode.ENFORCEMENT_MODE_OFF);
  });

  it("accepts buf/validate/validate.proto through a reference to a registered copy, and enforces its rules", async () => {
    const vendored = readFileSync(path.join(repoRoot, "services/registry/src/compiler/bundled/buf/validate/validate.proto"), "utf8");
    await w.registry.client.registerSchema({ subject: "buf.validate", protoSource: vendored, messageName: "buf.validate.Rule", fileName: "buf/validate/validate.proto", author: "it" });
    const { schema } = await w.registry.client.registerSchema({
      subject: "shopit.order_ref",
      protoSource: SOURCE,
      messageName: MESSAGE,
      fileName: "shopit/order_checked.proto",
      references: [{ name: "buf/validate/validate.proto", subject: "buf.validate", version: 1 }],
      author: "it",
    });
    expect(schema!.references).toEqual([{ name: "buf/validate/validate.proto", subject: "buf.validate", version: 1 }]);
    const r = await send("shopit.order_ref", "c-ref");
    expect(r.rejections.map((x) => x.reason)).toEqual(BAD.map(() => "CONTRACT_VIOLATION"));
  });

  it("schema check reports rule changes against the latest version, a tightened rule flagged", async () => {
    const tighter = SOURCE.replace("int32 = {gte: 1, lte: 100}", "int32 = {gte: 1, lte: 50}").replace(" [(buf.validate.field).string.email = true]", "");
    const r = await w.registry.client.checkCompatibility({ subject: SUBJECTS.reject, protoSource: tighter, messageName: MESSAGE, fileName: "shopit/order_checked.proto" });
    expect(r.compatible).toBe(true);
    expect(r.ruleChanges.map((c) => [c.path, c.rule, c.kind, c.before, c.after, c.tightens])).toEqual([
      ["item_count", "int32.lte", "CHANGED", "100", "50", true],
      ["email", "string.email", "REMOVED", "true", "", false],
    ]);
  });

  it("counts every event per tenant × event × version × key × outcome, in PostgreSQL (GetEventStats) and Prometheus", async () => {
    const client = new IngestServiceClient(ingest.address, credentials.createInsecure());
    const md = new Metadata();
    md.set("x-api-key", w.apiKey);
    const stats = () =>
      new Promise<GetEventStatsResponse>((resolve, reject) =>
        client.getEventStats({ from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 60_000), eventName: "" }, md, (e, r) => (e ? reject(e) : resolve(r!))),
      );
    // What this file sent (independent of ingest): per subject, 1 good event and one per BAD case.
    const want = {
      [`${SUBJECTS.reject}/accepted`]: 1, [`${SUBJECTS.reject}/rejected`]: BAD.length,
      [`${SUBJECTS.warn}/accepted`]: 1, [`${SUBJECTS.warn}/warned`]: BAD.length,
      [`${SUBJECTS.off}/accepted`]: BAD.length + 1,
      ["shopit.order_ref/accepted"]: 1, ["shopit.order_ref/rejected"]: BAD.length,
    };
    let got: Record<string, number> = {};
    // Ingest writes its counts every 5 s.
    for (let i = 0; i < 40; i++) {
      got = {};
      for (const r of (await stats()).rows) got[`${r.eventName}/${r.outcome}`] = (got[`${r.eventName}/${r.outcome}`] ?? 0) + r.events;
      if (JSON.stringify(Object.entries(got).sort()) === JSON.stringify(Object.entries(want).sort())) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    client.close();
    expect(got).toEqual(want);
    const prom = await ingest.metrics.registry.getSingleMetricAsString("trackway_ingest_event_outcomes_total");
    expect(prom).toMatch(new RegExp(`event="${SUBJECTS.warn}",version="1",key="[^"]+",outcome="warned"[^}]*\\} ${BAD.length}\\b`));
  });
});
