import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequestStatus } from "../../../../tests/support/raw-http.js";
import { startMicroHttp } from "./http-api.js";
import { MicroStore } from "./micro-store.js";

let server: Awaited<ReturnType<typeof startMicroHttp>>;
beforeAll(async () => {
  server = await startMicroHttp(new MicroStore(), "127.0.0.1", 0);
});
afterAll(() => new Promise<void>((done) => server.server.close(() => done())));

describe("micro's HTTP API", () => {
  it("answers a request target that is not a URL with 400 and keeps serving (it used to end the process)", async () => {
    expect(await rawRequestStatus("127.0.0.1", server.port, "http://[")).toBe(400);
    const r = await fetch(`http://127.0.0.1:${server.port}/micro/all`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ total: 0, good: 0, bad: 0 });
  });
});
