import { describe, expect, it } from "vitest";
import { replayForm } from "./replay-form.js";

describe("replayForm", () => {
  it("keeps distinct ids and the repair's parts", () => {
    expect(replayForm({ eventIds: ["a", "b", "a"], toVersion: "latest", header: { eventName: "x" }, dryRun: true })).toEqual({ eventIds: ["a", "b"], dryRun: true, toVersion: "latest", header: { eventName: "x" } });
    expect(replayForm({ eventIds: ["a"], toVersion: 3 })).toEqual({ eventIds: ["a"], dryRun: false, toVersion: 3 });
  });

  it("refuses no ids, a non-string id, too many ids, a bad version and a header that is not an object", () => {
    expect(() => replayForm({ eventIds: [] })).toThrow(/eventIds/);
    expect(() => replayForm({ eventIds: ["a", 3] })).toThrow(/eventIds/);
    expect(() => replayForm({ eventIds: Array.from({ length: 101 }, (_, i) => `e${i}`) })).toThrow(/eventIds/);
    expect(() => replayForm({ eventIds: ["a"], toVersion: 0 })).toThrow(/toVersion/);
    expect(() => replayForm({ eventIds: ["a"], header: ["x"] })).toThrow(/header/);
  });
});
