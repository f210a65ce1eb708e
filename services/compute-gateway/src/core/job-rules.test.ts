import { loadWarehouse } from "@trackway/warehouse";
import { describe, expect, it } from "vitest";
import { checkCancel, checkResume, checkStart, checkStop, isRunning, planSwitch, resolveParameters, type JobView } from "./job-rules.js";

const job = (over: Partial<JobView>): JobView => ({ definition: "ods_events", state: "CREATED", mode: null, flinkJobId: null, savepointPath: null, ...over });
const running = (mode: "STREAMING" | "BATCH") => job({ state: "RUNNING", mode, flinkJobId: "f1" });
const both = ["STREAMING", "BATCH"] as const;
const reason = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as { reason: string }).reason;
  }
  return undefined;
};

describe("job rules", () => {
  it("treats a run as running until Flink or we ended it", () => {
    expect(isRunning(job({}))).toBe(false);
    expect(isRunning(running("STREAMING"))).toBe(true);
    expect(isRunning(job({ state: "RESTARTING", flinkJobId: "f1" }))).toBe(true);
    for (const state of ["FINISHED", "CANCELED", "FAILED", "STOPPED", "LOST"]) expect(isRunning(job({ state, flinkJobId: "f1" }))).toBe(false);
  });

  it("refuses to start a running job or in a mode the definition lacks", () => {
    expect(reason(() => checkStart(running("BATCH"), "STREAMING", both))).toBe("JOB_ALREADY_RUNNING");
    expect(reason(() => checkStart(job({}), "BATCH", ["STREAMING"]))).toBe("ARGUMENT_INVALID");
    expect(reason(() => checkStart(job({ state: "STOPPED", flinkJobId: "f1" }), "BATCH", both))).toBeUndefined();
  });

  it("stops only a running STREAMING run", () => {
    expect(reason(() => checkStop(job({})))).toBe("JOB_NOT_RUNNING");
    expect(reason(() => checkStop(running("BATCH")))).toBe("BATCH_JOB_NOT_STOPPABLE");
    expect(reason(() => checkStop(running("STREAMING")))).toBeUndefined();
  });

  it("resumes only an idle job with a savepoint, and cancels only a running one", () => {
    expect(reason(() => checkResume(job({ state: "STOPPED", flinkJobId: "f1" })))).toBe("NO_SAVEPOINT");
    expect(reason(() => checkResume({ ...running("STREAMING"), savepointPath: "file:/sp" }))).toBe("JOB_ALREADY_RUNNING");
    expect(checkResume(job({ state: "STOPPED", flinkJobId: "f1", savepointPath: "file:/sp" }))).toBe("file:/sp");
    expect(reason(() => checkCancel(job({ state: "FINISHED", flinkJobId: "f1" })))).toBe("JOB_NOT_RUNNING");
  });

  it("plans a switch: savepoint out of STREAMING, cancel out of BATCH, restore into STREAMING", () => {
    expect(planSwitch(running("STREAMING"), "BATCH", both)).toEqual({ end: "savepoint", restore: false });
    expect(planSwitch(running("BATCH"), "STREAMING", both)).toEqual({ end: "cancel", restore: true });
    expect(planSwitch(job({ state: "STOPPED", flinkJobId: "f1" }), "STREAMING", both)).toEqual({ end: "none", restore: true });
    expect(reason(() => planSwitch(running("BATCH"), "BATCH", both))).toBe("ALREADY_IN_MODE");
  });
});

describe("resolveParameters", async () => {
  const wh = await loadWarehouse();
  const defaults = { hudi_base_path: "file:///h", kafka_brokers: "k:9092", checkpoint_interval: "10s", unrelated: "x" };

  it("puts the caller's values over the gateway's defaults, for declared parameters only", () => {
    const p = resolveParameters(wh, "ods_events", { events_topic: "t1" }, defaults, both);
    expect(p).toEqual({ hudi_base_path: "file:///h", kafka_brokers: "k:9092", checkpoint_interval: "10s", events_topic: "t1" });
  });

  it.each([
    ["an unknown parameter", { nope: "1" }],
    ["a quote", { events_topic: "t' , 'x" }],
    ["a semicolon", { events_topic: "t;DROP" }],
    ["a line break", { events_topic: "t\nx" }],
    ["a nested substitution", { events_topic: "${hudi_base_path}" }],
  ])("refuses %s", (_what, given) => {
    expect(reason(() => resolveParameters(wh, "ods_events", given, defaults, both))).toBe("PARAMETER_INVALID");
  });
});
