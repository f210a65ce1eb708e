import { describe, expect, it } from "vitest";
import { parseWriteMode, registerRefusal } from "./write-mode.js";

describe("write modes", () => {
  it("parses Confluent's mode names in any case", () => {
    expect(parseWriteMode("readonly")).toBe("READONLY");
    expect(parseWriteMode("IMPORT")).toBe("IMPORT");
    expect(parseWriteMode("WRITEONLY")).toBeUndefined();
  });
  it("refuses every registration in a read-only mode", () => {
    expect(registerRefusal("s", "READONLY", false)).toMatch(/read-only/);
    expect(registerRefusal("s", "READONLY_OVERRIDE", true)).toMatch(/read-only/);
  });
  it("takes a schema with its own id only in IMPORT mode, one without only in READWRITE", () => {
    expect(registerRefusal("s", "IMPORT", true)).toBeUndefined();
    expect(registerRefusal("s", "IMPORT", false)).toMatch(/not in read-write mode/);
    expect(registerRefusal("s", "READWRITE", true)).toMatch(/not in import mode/);
    expect(registerRefusal("s", "READWRITE", false)).toBeUndefined();
  });
});
