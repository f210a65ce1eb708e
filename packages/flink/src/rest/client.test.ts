import { describe, expect, it } from "vitest";
import { FlinkRestError } from "../errors.js";
import { FlinkRestClient } from "./client.js";

/** A fake REST API: `METHOD path` → answers in order (the last one repeats); unknown routes answer 404. */
function fakeFetch(routes: Record<string, { status?: number; body: unknown }[]>, calls: string[] = []): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const key = `${init?.method ?? "GET"} ${url.pathname}${url.search}`;
    calls.push(key);
    const queue = routes[key];
    if (!queue) return new Response(JSON.stringify({ errors: ["Not found: " + url.pathname] }), { status: 404 });
    const a = queue.length > 1 ? queue.shift()! : queue[0]!;
    return new Response(JSON.stringify(a.body), { status: a.status ?? 200 });
  }) as typeof fetch;
}

describe("FlinkRestClient", () => {
  it("answers undefined for a job Flink does not know", async () => {
    const flink = new FlinkRestClient({ baseUrl: "http://f", fetch: fakeFetch({}) });
    expect(await flink.job("nope")).toBeUndefined();
  });

  it("polls until the job reaches a wanted state", async () => {
    const calls: string[] = [];
    const fetch = fakeFetch({ "GET /jobs/j1": [{ body: { state: "CREATED" } }, { body: { state: "RUNNING" } }, { body: { state: "FINISHED" } }] }, calls);
    const flink = new FlinkRestClient({ baseUrl: "http://f", fetch, pollIntervalMs: 1 });
    expect(await flink.waitForState("j1", ["FINISHED"], 5_000)).toBe("FINISHED");
    expect(calls).toHaveLength(3);
  });

  it("waitFinished throws with Flink's root exception when the job failed", async () => {
    const fetch = fakeFetch({
      "GET /jobs/j1": [{ body: { state: "FAILED" } }],
      "GET /jobs/j1/exceptions": [{ body: { "root-exception": "java.lang.RuntimeException: top\n\tat x\nCaused by: java.io.IOException: disk full\n\tat y" } }],
    });
    await expect(new FlinkRestClient({ baseUrl: "http://f", fetch }).waitFinished("j1", 1_000)).rejects.toThrow("java.io.IOException: disk full");
  });

  it("reads a stop-with-savepoint's location and a failed one's root cause", async () => {
    const fetch = fakeFetch({
      "POST /jobs/j1/stop": [{ body: { "request-id": "t1" } }],
      "GET /jobs/j1/savepoints/t1": [{ body: { status: { id: "IN_PROGRESS" } } }, { body: { status: { id: "COMPLETED" }, operation: { location: "file:/sp/1" } } }],
      "GET /jobs/j2/savepoints/t2": [{ body: { status: { id: "COMPLETED" }, operation: { "failure-cause": { "stack-trace": "x\nCaused by: y.Z: no space" } } } }],
    });
    const flink = new FlinkRestClient({ baseUrl: "http://f", fetch, pollIntervalMs: 1 });
    const trigger = await flink.triggerStop("j1", "file:/sp");
    expect(await flink.waitForSavepoint("j1", trigger, 5_000)).toEqual({ state: "COMPLETED", location: "file:/sp/1" });
    expect(await flink.savepointStatus("j2", "t2")).toEqual({ state: "FAILED", failure: "y.Z: no space" });
  });

  it("throws FLINK_REST_ERROR with the HTTP status on an error answer", async () => {
    const fetch = fakeFetch({ "GET /jobs/overview": [{ status: 503, body: { errors: ["Service temporarily unavailable due to an ongoing leader election."] } }] });
    const e = await new FlinkRestClient({ baseUrl: "http://f", fetch }).jobs().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FlinkRestError);
    expect(e).toMatchObject({ reason: "FLINK_REST_ERROR", status: 503 });
  });

  it("cancelAndWait leaves an ended job alone", async () => {
    const calls: string[] = [];
    const flink = new FlinkRestClient({ baseUrl: "http://f", fetch: fakeFetch({ "GET /jobs/j1": [{ body: { state: "FINISHED" } }] }, calls) });
    expect(await flink.cancelAndWait("j1")).toBe("FINISHED");
    expect(calls).toEqual(["GET /jobs/j1"]);
  });
});
