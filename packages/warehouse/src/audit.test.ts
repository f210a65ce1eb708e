import { describe, expect, it } from "vitest";
import { auditQueries } from "./audit.js";

describe("auditQueries", () => {
  const range = { tenant: "o'brien", from: new Date("2026-11-30T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z") };

  it("reads one tenant's acknowledged events in the receive-time range and matches them on (tenant, event_id)", () => {
    const { counts, missing } = auditQueries(range, 50);
    for (const sql of [counts, missing]) {
      expect(sql).toContain("FROM kafka_events WHERE tenant = 'o''brien'");
      expect(sql).toContain(`received_at >= ${range.from.getTime()} AND received_at < ${range.to.getTime()}`);
      expect(sql).toContain("FROM ods_events WHERE tenant = 'o''brien'");
      expect(sql).toContain("ON a.event_id = s.event_id");
    }
    expect(missing).toMatch(/WHERE s\.event_id IS NULL .* LIMIT 50$/);
  });
});
