import { describe, expect, it } from "vitest";
import { sideBySide } from "./side-by-side.js";

describe("sideBySide", () => {
  it("pairs a changed line and shows an added one with no left side", () => {
    const rows = sideBySide("a\nb\nc", "a\nB\nc\nd");
    expect(rows.map((r) => r.kind)).toEqual(["same", "changed", "same", "added"]);
    expect(rows[1]).toMatchObject({ left: "b", right: "B", leftNo: 2, rightNo: 2 });
    expect(rows[3]).toMatchObject({ left: null, right: "d", leftNo: null, rightNo: 4 });
  });

  it("keeps every line of equal texts as the same", () => {
    expect(sideBySide("x\ny", "x\ny").every((r) => r.kind === "same")).toBe(true);
  });

  it("shows a removed line with no right side", () => {
    const rows = sideBySide("a\nb\nc", "a\nc");
    expect(rows[1]).toMatchObject({ kind: "removed", left: "b", right: null });
    expect(rows[2]).toMatchObject({ kind: "same", leftNo: 3, rightNo: 2 });
  });
});
