import { describe, expect, it } from "vitest";
import { deletionSql, DELETION_STEPS, DWS_TABLES, userPredicates } from "./delete-user.js";

describe("deletionSql", () => {
  const u = { tenant: "ac'me", userIds: ["u-1", "h4sh"] };

  it("matches the user by every form of their id, quoting values", () => {
    expect(userPredicates(u)).toEqual({
      events: "tenant = 'ac''me' AND user_id IN ('u-1', 'h4sh')",
      rejected: "tenant = 'ac''me' AND JSON_VALUE(header, '$.identity.userId') IN ('u-1', 'h4sh')",
    });
    expect(() => userPredicates({ tenant: "t", userIds: [] })).toThrow(/at least one user id/);
  });

  it("matches rows by any of the request's user, anonymous and device ids", () => {
    expect(userPredicates({ tenant: "t", userIds: [], anonymousIds: ["a-1", "h"], deviceIds: ["d-1"] })).toEqual({
      events: "tenant = 't' AND (anonymous_id IN ('a-1', 'h') OR device_id IN ('d-1'))",
      rejected: "tenant = 't' AND (JSON_VALUE(header, '$.identity.anonymousId') IN ('a-1', 'h') OR JSON_VALUE(header, '$.identity.deviceId') IN ('d-1'))",
    });
    expect(userPredicates({ tenant: "t", userIds: ["u"], deviceIds: ["d"] }).events).toBe("tenant = 't' AND (user_id IN ('u') OR device_id IN ('d'))");
  });

  it("deletes rows by predicate and clears the tenant's DWS buckets of the affected days only", () => {
    const sql = deletionSql(u, ["2026-11-29", "2026-11-30"]);
    expect(sql.deleteEvents).toBe("DELETE FROM ods_events WHERE tenant = 'ac''me' AND user_id IN ('u-1', 'h4sh')");
    expect(sql.clearDws).toHaveLength(DWS_TABLES.length);
    expect(sql.clearDws[0]).toBe("DELETE FROM dws_event_counts_hourly WHERE tenant = 'ac''me' AND event_date IN ('2026-11-29', '2026-11-30')");
    expect(deletionSql(u, []).clearDws).toEqual([]);
    expect(DELETION_STEPS[0]).toBe("counted");
  });
});
