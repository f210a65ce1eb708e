import { create } from "@bufbuild/protobuf";
import { createClient } from "@trackway/client";
import { MicroServiceClient } from "@trackway/proto/micro/v1";
import { createPromiseClient } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProtoDir } from "./load-contracts.js";
import { startMicro, type RunningMicro } from "./run-micro.js";

const examples = new URL("../../../../examples/proto", import.meta.url).pathname;
let micro: RunningMicro;
beforeAll(async () => {
  micro = await startMicro({ protoDir: examples, host: "127.0.0.1", grpcPort: 0, httpPort: 0 });
});
afterAll(() => micro?.stop());

describe("micro's gRPC assertion API", () => {
  it("answers all, good, bad and reset on ingest's port", async () => {
    const { lookup } = await loadProtoDir(examples);
    const page = (await lookup.get("shop.page_viewed", 1))!;
    const sdk = createClient({ address: micro.ingestAddress, apiKey: micro.apiKey, schemas: [page.message], identity: { userId: "u-9" }, versions: { "shop.page_viewed": 1 } });
    sdk.track("shop.page_viewed", create(page.message, { pageType: "home", loadTimeMs: 5 } as never));
    sdk.track("shop.unknown", create(page.message, {} as never), { version: 1 });
    await sdk.close(5000);

    const assert = createPromiseClient(MicroServiceClient, micro.ingestAddress);
    expect(await assert.all()).toEqual({ total: 2, good: 1, bad: 1 });
    const good = await assert.good({ event: "shop.page_viewed", properties: { page_type: "home", load_time_ms: "5" } });
    expect(good.recordsJson.map((j) => JSON.parse(j) as { user_id: string })).toMatchObject([{ user_id: "u-9" }]);
    expect((await assert.good({ user: "someone-else" })).recordsJson).toEqual([]);
    expect((await assert.bad({ reason: "UNKNOWN_EVENT" })).recordsJson).toHaveLength(1);
    await assert.reset();
    expect(await assert.all()).toEqual({ total: 0, good: 0, bad: 0 });
    assert.close();
  });

  it("refuses a folder without a trackway.json, naming the file it needs", async () => {
    await expect(loadProtoDir(new URL("../../../../tests/fixtures/compat/cardinality-optional-to-repeated", import.meta.url).pathname)).rejects.toThrow(/trackway.json/);
  });
});
