import type { FlinkRestClient } from "@trackway/flink";
import { silentLogger } from "@trackway/runtime";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SlotGate, SlotWaitEnded } from "./slot-gate.js";

/** A Flink REST API whose free slots and jobs the test sets. */
function fakeFlink() {
  const state = {
    free: 4,
    jobs: [] as { jid: string; name: string; state: string; "start-time": number }[],
    parallelism: new Map<string, number>(),
    down: false,
  };
  const check = () => {
    if (state.down) throw new Error("connection refused");
  };
  const flink = {
    clusterOverview: async () => (check(), { taskmanagers: 1, "slots-total": 8, "slots-available": state.free, "jobs-running": 0 }),
    jobs: async () => (check(), state.jobs),
    job: async (id: string) => ({ jid: id, name: id, state: "RESTARTING", "start-time": 0, vertices: [{ id: "v", name: "v", parallelism: state.parallelism.get(id) ?? 1 }] }),
  } as unknown as FlinkRestClient;
  return { flink, state };
}

describe("SlotGate", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());
  const gateOf = (flink: FlinkRestClient) => new SlotGate(flink, { parallelism: 1, reserve: 1, maxWaitMs: 5_000, pollMs: 500, logger: silentLogger });

  it("admits query jobs while their slots stay free beside the reserve, counting those admitted but not running yet", async () => {
    const { flink, state } = fakeFlink();
    const gate = gateOf(flink);
    state.free = 3;
    const first = await gate.enter("trackway-query:a:1");
    await gate.enter("trackway-query:a:2");
    let third: unknown;
    void gate.enter("trackway-query:a:3").then((x) => (third = x));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(third).toBeUndefined();
    // The first one ended: its place is free again.
    first();
    await vi.advanceTimersByTimeAsync(600);
    expect(third).toBeTypeOf("function");
  });

  it("reads the cluster once for all waiting statements, not once per statement per poll", async () => {
    const { flink, state } = fakeFlink();
    let reads = 0;
    const overview = flink.clusterOverview.bind(flink);
    flink.clusterOverview = async () => (reads++, overview());
    const gate = gateOf(flink);
    state.free = 1; // only the reserve: everyone waits
    const waits = Array.from({ length: 10 }, (_, i) => gate.enter(`trackway-query:t${i}:1`).catch((e: unknown) => e));
    await vi.advanceTimersByTimeAsync(2_000);
    // 10 statements polling every 500 ms for 2 s looked 50 times; a read serves every look within 250 ms of it.
    expect(reads).toBeLessThanOrEqual(9);
    state.free = 12;
    await vi.advanceTimersByTimeAsync(600);
    expect((await Promise.all(waits)).every((x) => typeof x === "function")).toBe(true);
  });

  it("keeps the slots a restarting streaming job needs, and admits once it runs again", async () => {
    const { flink, state } = fakeFlink();
    const gate = gateOf(flink);
    state.free = 4;
    state.jobs = [{ jid: "j1", name: "insert-into_ods_events", state: "RESTARTING", "start-time": 0 }];
    state.parallelism.set("j1", 3);
    let admitted: unknown;
    void gate.enter("trackway-query:a:1").then((x) => (admitted = x));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(admitted).toBeUndefined();
    state.jobs = [{ jid: "j1", name: "insert-into_ods_events", state: "RUNNING", "start-time": 0 }];
    state.free = 1 + 1;
    await vi.advanceTimersByTimeAsync(600);
    expect(admitted).toBeTypeOf("function");
  });

  it("keeps an entry's extra reserve (a tenant's second statement leaves the last slots to others): it waits, then says so", async () => {
    const { flink, state } = fakeFlink();
    const gate = gateOf(flink);
    state.free = 3; // enough for one query beside the reserve of 1, not beside 1 + 2 more
    let second: unknown;
    void gate.enter("trackway-query:a:2", undefined, 2).then((x) => (second = x));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(second).toBeUndefined();
    state.free = 4;
    await vi.advanceTimersByTimeAsync(600);
    expect(second).toBeTypeOf("function");
    (second as () => void)();
    // Still short at the end of the wait: only the extra reserve stood in the way.
    state.free = 2;
    const waited = gate.enter("trackway-query:a:3", undefined, 2).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(6_000);
    expect(await waited).toMatchObject({ why: "timeout", heldForOthers: true });
    // Short even without it: the warehouse's reserve held it, not other tenants.
    state.free = 1;
    const held = gate.enter("trackway-query:a:4", undefined, 2).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(6_000);
    expect(await held).toMatchObject({ why: "timeout", heldForOthers: false });
  });

  it("gives up after the longest wait with what held the slots, and at once when the caller goes away", async () => {
    const { flink, state } = fakeFlink();
    const gate = gateOf(flink);
    state.free = 1;
    const waited = gate.enter("trackway-query:a:1").catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(6_000);
    expect(await waited).toMatchObject({ why: "timeout", view: { slotsAvailable: 1, waitingJobsNeed: 0 } });
    const abort = new AbortController();
    const cancelled = gate.enter("trackway-query:a:2", abort.signal).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    abort.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(await cancelled).toEqual(expect.any(SlotWaitEnded));
    expect(await cancelled).toMatchObject({ why: "aborted" });
  });

  it("admits when Flink's REST API cannot be read (the statement reports Flink unavailable itself)", async () => {
    const { flink, state } = fakeFlink();
    state.down = true;
    await expect(gateOf(flink).enter("trackway-query:a:1")).resolves.toBeTypeOf("function");
  });
});
