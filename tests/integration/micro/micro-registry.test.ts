import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { create } from "@bufbuild/protobuf";
import { createClient } from "@trackway/client";
import { loadSchema } from "@trackway/registry-client";
import { repoRoot } from "@trackway/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORDER_COMPLETED_V1_SOURCE } from "../../fixtures/ingest/index.js";
import { startTestRegistry, waitFor, type TestRegistry } from "../../support/index.js";

// `trackway micro --registry`: the contracts come from a real registry (on the shared PostgreSQL), still no Kafka.
let registry: TestRegistry;
let child: ChildProcess;
let ready: { ingest: string; http: string; apiKey: string; subjects: string[] };
let order: ReturnType<typeof loadSchema>["message"];

beforeAll(async () => {
  registry = await startTestRegistry();
  const { schema } = await registry.client.registerSchema({ subject: "shop.order_completed", protoSource: ORDER_COMPLETED_V1_SOURCE, messageName: "shop.v1.OrderCompleted", author: "it" });
  order = loadSchema(schema!.descriptorSet, schema!.messageName).message;
  child = spawn(process.execPath, ["packages/cli/bin/trackway.js", "micro", "--registry", registry.registry.address, "--registry-key", registry.admin.key, "--port", "0", "--http-port", "0"], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ["ignore", "pipe", "inherit"],
  });
  ready = JSON.parse(
    await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`trackway micro exited with ${code}`)));
    }),
  ) as typeof ready;
});
afterAll(async () => {
  child?.kill("SIGTERM");
  await registry?.stop();
});

describe("trackway micro --registry", () => {
  it("validates against the registry's contracts and answers over HTTP", async () => {
    expect(ready.subjects).toContain("shop.order_completed");
    const sdk = createClient({ address: ready.ingest, apiKey: ready.apiKey, schemas: [order], versions: { "shop.order_completed": 1 } });
    sdk.track("shop.order_completed", create(order, { orderId: "o-reg" } as never));
    sdk.track("shop.order_completed", create(order, { orderId: "o-v5" } as never), { version: 5 });
    await sdk.close(10_000);
    const counts = await waitFor("both events counted", async () => {
      const c = (await (await fetch(`${ready.http}/micro/all`)).json()) as { total: number };
      return c.total === 2 ? c : undefined;
    });
    expect(counts).toEqual({ total: 2, good: 1, bad: 1 });
    expect((await (await fetch(`${ready.http}/micro/good?prop.order_id=o-reg`)).json()) as unknown[]).toHaveLength(1);
    expect((await (await fetch(`${ready.http}/micro/bad`)).json()) as unknown[]).toMatchObject([{ reason: "UNKNOWN_SCHEMA_VERSION" }]);
  });
});
