import { EnforcementMode } from "@trackway/proto/registry/v1";
import { describe, expect, it } from "vitest";
import { enforcementToTry, formatReport } from "./against-data.js";

describe("schema check --against-data", () => {
  it("tries the flag's enforcement, else the subject's, else REJECT", () => {
    expect(enforcementToTry("warn", EnforcementMode.ENFORCEMENT_MODE_REJECT)).toBe("WARN");
    expect(enforcementToTry(undefined, EnforcementMode.ENFORCEMENT_MODE_WARN)).toBe("WARN");
    expect(enforcementToTry(undefined, EnforcementMode.ENFORCEMENT_MODE_UNSPECIFIED)).toBe("REJECT");
    expect(() => enforcementToTry("drop", undefined)).toThrow(/REJECT, WARN or OFF/);
  });

  it("prints the totals, each rule and each example", () => {
    const lines = formatReport("shop.order", {
      eventsChecked: 10, sampled: true, decodeFailures: 1, ruleViolations: 2, wouldReject: 3, wouldWarn: 0, passed: 7, enforcement: "REJECT", range: undefined,
      rules: [{ fieldPath: "total_cents", ruleId: "int64.gte", events: 2 }],
      examples: [{ eventId: "e-1", schemaVersion: 2, kind: "CONTRACT_VIOLATION", fieldPath: "total_cents", ruleId: "int64.gte", message: "value must be greater than or equal to 0" }],
    });
    expect(lines[0]).toContain("10 events (sampled: the newest only), enforcement REJECT");
    expect(lines[1]).toBe("  would reject 3 (decode failures 1, rule violations 2), would warn 0, pass 7");
    expect(lines[2]).toBe("  2\tint64.gte\ttotal_cents");
    expect(lines[3]).toContain("e.g. e-1 (v2)\tCONTRACT_VIOLATION\ttotal_cents\tint64.gte");
  });
});
