import { describe, expect, it } from "vitest";
import { isQueryJob, queryMayStart, slotsOf } from "./slot-budget.js";

describe("queryMayStart", () => {
  const p = { parallelism: 1, reserve: 1, pending: 0 };
  it("lets a query start while its slots stay free beside the reserve", () => {
    expect(queryMayStart({ slotsAvailable: 2, waitingJobsNeed: 0 }, p)).toBe(true);
    expect(queryMayStart({ slotsAvailable: 1, waitingJobsNeed: 0 }, p)).toBe(false);
    expect(queryMayStart({ slotsAvailable: 3, waitingJobsNeed: 0 }, { ...p, parallelism: 2, reserve: 2 })).toBe(false);
    expect(queryMayStart({ slotsAvailable: 4, waitingJobsNeed: 0 }, { ...p, parallelism: 2, reserve: 2 })).toBe(true);
  });

  it("keeps the slots a restarting warehouse job needs for it", () => {
    expect(queryMayStart({ slotsAvailable: 4, waitingJobsNeed: 3 }, p)).toBe(false);
    expect(queryMayStart({ slotsAvailable: 5, waitingJobsNeed: 3 }, p)).toBe(true);
  });

  it("counts query jobs admitted but not running yet, so that two at once cannot take the same slot", () => {
    expect(queryMayStart({ slotsAvailable: 3, waitingJobsNeed: 0 }, { ...p, pending: 1 })).toBe(true);
    expect(queryMayStart({ slotsAvailable: 3, waitingJobsNeed: 0 }, { ...p, pending: 2 })).toBe(false);
  });
});

describe("slotsOf and isQueryJob", () => {
  it("sizes a job by its largest vertex parallelism and tells query jobs from warehouse jobs", () => {
    expect(slotsOf([{ parallelism: 2 }, { parallelism: 4 }, {}])).toBe(4);
    expect(slotsOf([])).toBe(1);
    expect(isQueryJob("trackway-query:acme:1234")).toBe(true);
    expect(isQueryJob("ods_events")).toBe(false);
  });
});
