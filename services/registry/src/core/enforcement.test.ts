import { describe, expect, it } from "vitest";
import { effectiveEnforcement } from "./enforcement.js";

describe("effectiveEnforcement", () => {
  it("lets a version's own mode win over its subject's", () => {
    expect(effectiveEnforcement("OFF", "WARN")).toBe("OFF");
  });
  it("falls back to the subject's mode, then to REJECT", () => {
    expect(effectiveEnforcement(undefined, "WARN")).toBe("WARN");
    expect(effectiveEnforcement(undefined, undefined)).toBe("REJECT");
  });
});
