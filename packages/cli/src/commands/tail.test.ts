import { describe, expect, it } from "vitest";
import { tailLine } from "./tail.js";

const at = new Date("2026-11-30T21:00:01.234Z");
const base = { eventId: "e1", eventName: "shop.order_completed", schemaVersion: 2, userId: "u1", reasons: [], message: "", droppedBefore: 0 };

describe("tailLine", () => {
  it("shows an accepted event's name, version, user, id and decoded properties, then its warnings", () => {
    const line = tailLine({ ...base, accepted: true, propertiesJson: '{"order_id":"o1"}', recordJson: JSON.stringify({ warnings: ["EVENT_TIME_CLAMPED"] }) }, at);
    expect(line).toBe('21:00:01.234 ✓ shop.order_completed@2 user=u1 e1 {"order_id":"o1"}\n    warnings: EVENT_TIME_CLAMPED');
  });

  it("shows a rejected event's properties when they decode, its reasons and the message naming the field", () => {
    const line = tailLine({ ...base, accepted: false, propertiesJson: '{"total_cents":"-5"}', reasons: ["PROPERTIES_INVALID"], message: "total_cents: must be positive", recordJson: "{}" }, at);
    expect(line).toBe('21:00:01.234 ✗ shop.order_completed@2 user=u1 e1 {"total_cents":"-5"}\n    PROPERTIES_INVALID: total_cents: must be positive');
    expect(tailLine({ ...base, accepted: false, propertiesJson: "", reasons: ["UNKNOWN_EVENT"], message: "no such event", recordJson: "{}" }, at)).toBe(
      "21:00:01.234 ✗ shop.order_completed@2 user=u1 e1\n    UNKNOWN_EVENT: no such event",
    );
  });
});
