import { create, toBinary, type DescMessage, type Message } from "@bufbuild/protobuf";
import { Event, EventBatch, EventHeader } from "@trackway/proto/event/v1";
import { IngestRequest } from "@trackway/proto/ingest/v1";
import { describe, expect, it } from "vitest";
import { FakeSchemas, orderCompletedDesc } from "../../../../tests/fixtures/ingest/index.js";
import type { Enforcement, RuleCheck, RuleViolation } from "./contract-rules.js";
import type { EnrichedEvent } from "./enriched-event.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { processBatch, type BatchSource } from "./process-batch.js";
import { readRawBatchRequest } from "./raw-batch.js";
import type { RejectedEventRecord } from "./rejected-record.js";

const v1 = orderCompletedDesc(1);
const source: BatchSource = { tenant: "acme", allowedEvents: undefined, receivedAt: Date.parse("2026-11-25T10:00:05.000Z"), clientIp: undefined };

/** A rule check that flags a negative total, as `(buf.validate.field).int64.gte = 0` would. */
const negativeTotal: RuleCheck & { calls: number } = {
  calls: 0,
  check(_id: number, _desc: DescMessage, message: Message): RuleViolation[] {
    this.calls += 1;
    const total = (message as unknown as { totalCents: bigint }).totalCents;
    return total < 0n ? [{ fieldPath: "total_cents", ruleId: "int64.gte", message: "value must be greater than or equal to 0" }] : [];
  },
};

function batchOf(totals: bigint[]) {
  const events = totals.map((t, i) =>
    Event.fromPartial({
      header: { eventId: `e-${i}`, eventName: "shop.order_completed", schemaVersion: 1, identity: { userId: "u-1" } },
      properties: Buffer.from(toBinary(v1, create(v1, { orderId: "o", totalCents: t, itemCount: 1 }))),
    }),
  );
  return readRawBatchRequest(IngestRequest.encode({ batch: EventBatch.fromPartial({ batchId: "b", events }) }).finish());
}

const schemas = (enforcement: Enforcement | undefined) =>
  new FakeSchemas().add("shop.order_completed", { schemaId: 7, version: 1, lifecycle: "active", enforcement, message: v1 });

describe("contract enforcement in processBatch", () => {
  it("rejects a violating event with CONTRACT_VIOLATION and its violations under REJECT (and by default)", async () => {
    for (const mode of ["REJECT", undefined] as const) {
      const out = await processBatch(batchOf([5n, -1n]), source, { schemas: schemas(mode), limits: DEFAULT_LIMITS, rules: negativeTotal });
      expect(out.result.accepted).toBe(1);
      expect(out.result.rejections).toEqual([
        expect.objectContaining({ index: 1, eventId: "e-1", reason: "CONTRACT_VIOLATION", violations: [{ fieldPath: "total_cents", ruleId: "int64.gte", message: "value must be greater than or equal to 0" }] }),
      ]);
      const rec = JSON.parse(out.rejected[0]!.value) as RejectedEventRecord;
      expect(rec.reason).toBe("CONTRACT_VIOLATION");
      expect(rec.violations).toEqual([{ field_path: "total_cents", rule_id: "int64.gte", message: "value must be greater than or equal to 0" }]);
    }
  });

  it("accepts a violating event with a CONTRACT_VIOLATION warning under WARN and keeps the violations in the record", async () => {
    const out = await processBatch(batchOf([-3n]), source, { schemas: schemas("WARN"), limits: DEFAULT_LIMITS, rules: negativeTotal });
    expect(out.result).toMatchObject({ accepted: 1, rejected: 0 });
    expect(out.result.warnings).toEqual([expect.objectContaining({ index: 0, reason: "CONTRACT_VIOLATION", violations: [expect.objectContaining({ ruleId: "int64.gte" })] })]);
    const rec = JSON.parse(out.events[0]!.value) as EnrichedEvent;
    expect(rec.warnings).toEqual(["CONTRACT_VIOLATION", "CONTRACT_VIOLATION:total_cents:int64.gte"]);
  });

  it("does not check rules under OFF", async () => {
    negativeTotal.calls = 0;
    const out = await processBatch(batchOf([-3n]), source, { schemas: schemas("OFF"), limits: DEFAULT_LIMITS, rules: negativeTotal });
    expect(out.result).toMatchObject({ accepted: 1, rejected: 0, warnings: [] });
    expect(negativeTotal.calls).toBe(0);
  });
});
