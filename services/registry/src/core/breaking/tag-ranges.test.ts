import { describe, expect, it } from "vitest";
import { inRanges, missingRanges, rangeString } from "./tag-ranges.js";

describe("missingRanges", () => {
  it("accepts a reservation kept, split or widened", () => {
    expect(missingRanges([[5, 10]], [[5, 10]])).toEqual([]);
    expect(missingRanges([[5, 10]], [[8, 10], [5, 7]])).toEqual([]);
    expect(missingRanges([[5, 10]], [[1, 20]])).toEqual([]);
  });

  it("returns the parts of a previous range that are gone", () => {
    expect(missingRanges([[5, 10]], [[5, 8]])).toEqual([{ range: [5, 10], missing: [[9, 10]] }]);
    expect(missingRanges([[5, 10]], [[6, 6], [8, 9]])).toEqual([{ range: [5, 10], missing: [[5, 5], [7, 7], [10, 10]] }]);
    expect(missingRanges([[5, 10], [20, 20]], [])).toEqual([{ range: [5, 10], missing: [[5, 10]] }, { range: [20, 20], missing: [[20, 20]] }]);
  });
});

describe("range helpers", () => {
  it("prints ranges as buf does and tests membership", () => {
    expect([rangeString([4, 4], 99), rangeString([4, 9], 99), rangeString([4, 99], 99)]).toEqual(["[4]", "[4,9]", "[4,max]"]);
    expect([inRanges(5, [[1, 4], [5, 5]]), inRanges(6, [[1, 4], [5, 5]])]).toEqual([true, false]);
  });
});
