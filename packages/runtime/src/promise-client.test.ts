import { Metadata, status, type ServerWritableStream } from "@grpc/grpc-js";
import { file_trackway_registry_v1_registry } from "@trackway/proto/es/registry/v1";
import { RegistryServiceClient, RegistryServiceService, type ListSubjectsRequest, type WatchRequest, type WatchResponse } from "@trackway/proto/registry/v1";
import { afterEach, describe, expect, it } from "vitest";
import { reasonOf, TrackwayError } from "./errors.js";
import { serverStreaming, unary } from "./handlers.js";
import { silentLogger } from "./logger.js";
import { createPromiseClient } from "./promise-client.js";
import { startService, type RunningService } from "./service.js";

let running: RunningService | undefined;
afterEach(async () => {
  await running?.stop(100);
  running = undefined;
});

const seen: { req?: ListSubjectsRequest; key?: string; cancelled?: boolean } = {};

/** Registry RPCs with test behaviour: listSubjects records what it got; watch yields until cancelled (or fails once). */
const implementation = {
  listSubjects: unary(async (req: ListSubjectsRequest, call) => {
    seen.req = req;
    seen.key = String(call.metadata.get("x-api-key")[0]);
    if (req.prefix === "missing") throw new TrackwayError(status.NOT_FOUND, "SUBJECT_NOT_FOUND", "no such subject");
    return { subjects: [] };
  }),
  watch: serverStreaming(async function* (req: WatchRequest, _call: ServerWritableStream<WatchRequest, WatchResponse>, signal: AbortSignal) {
    for (let i = req.afterSequence + 1; !signal.aborted; i++) {
      yield { sequence: i, subject: `s${i}`, version: 1, action: "REGISTER" };
      await new Promise((r) => setTimeout(r, 10));
      if (i === 3 && req.afterSequence === 0) throw new TrackwayError(status.FAILED_PRECONDITION, "WATCH_BEHIND", "truncated");
    }
    seen.cancelled = true;
  }),
};

async function serve(): Promise<string> {
  const services = [{ definition: RegistryServiceService, implementation }];
  running = await startService({ name: "promise-client-test", host: "127.0.0.1", port: 0, metricsPort: 0, services, descriptors: [file_trackway_registry_v1_registry], logger: silentLogger });
  return running.address;
}

describe("createPromiseClient", () => {
  it("fills unset request fields with proto defaults and sends the client's and the call's metadata", async () => {
    const client = createPromiseClient(RegistryServiceClient, await serve(), { metadata: { "x-api-key": "k1" } });
    const md = new Metadata();
    md.set("x-api-key", "k2");
    await client.listSubjects();
    expect(seen.req).toEqual({ prefix: "" });
    expect(seen.key).toBe("k1");
    await client.listSubjects({ prefix: "shop." }, { metadata: md });
    expect(seen.req?.prefix).toBe("shop.");
    expect(seen.key).toBe("k2");
    client.close();
  });

  it("rejects with the server's code and reason", async () => {
    const client = createPromiseClient(RegistryServiceClient, await serve());
    const err = await client.listSubjects({ prefix: "missing" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: status.NOT_FOUND });
    expect(reasonOf(err)).toBe("SUBJECT_NOT_FOUND");
    client.close();
  });

  it("iterates a server stream and throws its error with code and reason after the messages", async () => {
    const client = createPromiseClient(RegistryServiceClient, await serve());
    const got: number[] = [];
    const err = await (async () => {
      for await (const m of client.watch({})) got.push(m.sequence);
    })().catch((e: unknown) => e);
    expect(got).toEqual([1, 2, 3]);
    expect(reasonOf(err)).toBe("WATCH_BEHIND");
    client.close();
  });

  it("ends a stream quietly and cancels the call when the signal aborts", async () => {
    const client = createPromiseClient(RegistryServiceClient, await serve());
    const abort = new AbortController();
    const got: number[] = [];
    for await (const m of client.watch({ afterSequence: 10 }, { signal: abort.signal })) {
      got.push(m.sequence);
      if (got.length === 2) abort.abort();
    }
    expect(got).toEqual([11, 12]);
    await expect.poll(() => seen.cancelled).toBe(true);
    client.close();
  });
});
