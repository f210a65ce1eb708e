import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { SqlGatewayClient } from "./client.js";
import { FlinkUnreachableError } from "../errors.js";
import { JsonNumber } from "../lossless-json.js";
import { rootCause } from "../root-cause.js";

/** A fake gateway answering from a table of path → JSON bodies (each path may answer several times in order). */
function fakeFetch(routes: Record<string, unknown[]>, calls: string[] = []): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const key = `${init?.method ?? "GET"} ${url.pathname}${url.search}`;
    calls.push(key);
    const queue = routes[key];
    if (!queue || queue.length === 0) return new Response(JSON.stringify({ errors: ["Internal server error.", `no route ${key}`] }), { status: 500 });
    const body = queue.length > 1 ? queue.shift() : queue[0];
    return new Response(JSON.stringify(body), { status: 200 });
  }) as typeof fetch;
}

const base = "http://gw";
const results = (token: number) => `GET /v2/sessions/s1/operations/o1/result/${token}?rowFormat=JSON`;
const next = (token: number) => `/v2/sessions/s1/operations/o1/result/${token}?rowFormat=JSON`;
const columns = [{ name: "n", logicalType: { type: "INTEGER", nullable: true }, comment: null }];

describe("SqlGatewaySession.execute", () => {
  it("follows nextResultUri through NOT_READY pages to EOS and closes the operation", async () => {
    const calls: string[] = [];
    const fetch = fakeFetch(
      {
        "POST /v2/sessions": [{ sessionHandle: "s1" }],
        "POST /v2/sessions/s1/statements": [{ operationHandle: "o1" }],
        [results(0)]: [{ resultType: "NOT_READY", nextResultUri: next(0) }, { resultType: "PAYLOAD", jobID: "j1", isQueryResult: true, results: { columns, data: [{ kind: "INSERT", fields: [1] }] }, nextResultUri: next(1) }],
        [results(1)]: [{ resultType: "PAYLOAD", results: { columns, data: [{ kind: "INSERT", fields: [2] }] }, nextResultUri: next(2) }],
        [results(2)]: [{ resultType: "EOS", results: { columns, data: [] } }],
        "DELETE /v2/sessions/s1/operations/o1/close": [{ status: "CLOSED" }],
      },
      calls,
    );
    const session = await new SqlGatewayClient({ baseUrl: base, fetch, pollIntervalMs: 1 }).openSession();
    const r = await session.execute("SELECT n FROM t", { executionConfig: { "execution.runtime-mode": "batch" } });
    expect(r.rows.map((row) => row.fields[0])).toEqual([1, 2]);
    expect(r).toMatchObject({ jobId: "j1", isQueryResult: true, truncated: false });
    expect(r.columns.map((c) => c.name)).toEqual(["n"]);
    expect(calls.at(-1)).toBe("DELETE /v2/sessions/s1/operations/o1/close");
  });

  it("stops at maxRows on an unbounded result", async () => {
    const fetch = fakeFetch({
      "POST /v2/sessions": [{ sessionHandle: "s1" }],
      "POST /v2/sessions/s1/statements": [{ operationHandle: "o1" }],
      [results(0)]: [{ resultType: "PAYLOAD", results: { columns, data: [{ kind: "INSERT", fields: [1] }, { kind: "INSERT", fields: [2] }] }, nextResultUri: next(0) }],
      "DELETE /v2/sessions/s1/operations/o1/close": [{}],
    });
    const session = await new SqlGatewayClient({ baseUrl: base, fetch }).openSession();
    const r = await session.execute("SELECT n FROM stream", { maxRows: 1 });
    expect(r).toMatchObject({ truncated: true, rows: [{ kind: "INSERT", fields: [1] }] });
  });

  it("throws SQL_GATEWAY_ERROR with the deepest cause of the server's trace", async () => {
    const fetch = fakeFetch({ "POST /v2/sessions": [{ sessionHandle: "s1" }], "POST /v2/sessions/s1/statements": [{ operationHandle: "o1" }] });
    const session = await new SqlGatewayClient({ baseUrl: base, fetch }).openSession();
    await expect(session.execute("SELECT 1")).rejects.toMatchObject({ reason: "SQL_GATEWAY_ERROR", status: 500 });
  });
});

describe("SqlGatewaySession.pages", () => {
  it("keeps every digit of BIGINT and DECIMAL cells when lossless", async () => {
    const text = `{"resultType":"EOS","jobID":"j9","results":{"columns":[{"name":"n","logicalType":{"type":"BIGINT","nullable":true},"comment":null}],"data":[{"kind":"INSERT","fields":[9007199254740993]}]}}`;
    const fetch = (async (input: string | URL | Request) =>
      String(input).endsWith("/v2/sessions") ? new Response(JSON.stringify({ sessionHandle: "s1" })) : new Response(text)) as typeof globalThis.fetch;
    const session = await new SqlGatewayClient({ baseUrl: base, fetch }).openSession();
    const pages = [];
    for await (const p of session.pages("o1", { lossless: true })) pages.push(p);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.jobID).toBe("j9");
    expect(pages[0]!.results?.columns?.[0]?.name).toBe("n");
    expect((pages[0]!.results!.data![0]!.fields[0] as JsonNumber).text).toBe("9007199254740993");
  });

  it("stops without another request once its signal is aborted", async () => {
    const calls: string[] = [];
    const fetch = fakeFetch({ "POST /v2/sessions": [{ sessionHandle: "s1" }], [results(0)]: [{ resultType: "NOT_READY", nextResultUri: next(0) }] }, calls);
    const session = await new SqlGatewayClient({ baseUrl: base, fetch, pollIntervalMs: 1 }).openSession();
    const ac = new AbortController();
    let n = 0;
    for await (const _ of session.pages("o1", { signal: ac.signal })) if (++n === 2) ac.abort();
    expect(calls.filter((c) => c.startsWith("GET"))).toHaveLength(2);
  });
});

describe("polling with a signal", () => {
  it("leaves no abort listener behind per poll", async () => {
    const fetch = fakeFetch({ "POST /v2/sessions": [{ sessionHandle: "s1" }], [results(0)]: [{ resultType: "NOT_READY", nextResultUri: next(0) }] });
    const session = await new SqlGatewayClient({ baseUrl: base, fetch, pollIntervalMs: 1 }).openSession();
    const ac = new AbortController();
    let n = 0;
    for await (const _ of session.pages("o1", { signal: ac.signal })) if (++n === 50) break;
    expect(getEventListeners(ac.signal, "abort").length).toBeLessThanOrEqual(1);
  });
});

describe("errors", () => {
  it("throws FLINK_UNREACHABLE when nothing answers", async () => {
    const fetch = (async () => {
      throw new TypeError("fetch failed");
    }) as typeof globalThis.fetch;
    const e = await new SqlGatewayClient({ baseUrl: base, fetch }).openSession().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FlinkUnreachableError);
    expect(e).toMatchObject({ reason: "FLINK_UNREACHABLE", status: 0 });
  });

  it("keeps the server's whole trace in details and its root cause in the message", async () => {
    const trace = ["Internal server error.", "org.x.SqlExecutionException: failed", "Caused by: org.apache.flink.table.api.ValidationException: Object 'nope' not found"];
    const fetch = (async () => new Response(JSON.stringify({ errors: trace }), { status: 500 })) as typeof globalThis.fetch;
    const e = await new SqlGatewayClient({ baseUrl: base, fetch }).openSession().catch((x: unknown) => x);
    expect(e).toMatchObject({ reason: "SQL_GATEWAY_ERROR", status: 500, details: trace.join("\n") });
    expect((e as Error).message).toContain("Object 'nope' not found");
    expect((e as { rootCause: string }).rootCause).toBe("org.apache.flink.table.api.ValidationException: Object 'nope' not found");
  });
});

describe("rootCause", () => {
  it("picks the last Caused by line", () => {
    const trace = "org.x.SqlExecutionException: failed\n\tat a\nCaused by: b.B: middle\nCaused by: org.apache.flink.table.api.ValidationException: Object 'nope' not found";
    expect(rootCause(trace)).toBe("org.apache.flink.table.api.ValidationException: Object 'nope' not found");
  });
});
