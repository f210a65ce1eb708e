import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { create, createFileRegistry, fromBinary, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { createClient } from "@trackway/client";
import { repoRoot } from "@trackway/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// `trackway micro` as a user's CI runs it: a child process, contracts from a folder, no Kafka, Flink or PostgreSQL
// (it is given none), events sent by the SDK as the user's app would, every assertion through plain HTTP.
let child: ChildProcess;
let ready: { ingest: string; http: string; apiKey: string; subjects: string[]; startupMs: number; cpuMs: number };
let startupMs: number;
let types: FileRegistry;

beforeAll(async () => {
  const started = Date.now();
  child = spawn(process.execPath, ["packages/cli/bin/trackway.js", "micro", "--proto", "examples/proto", "--port", "0", "--http-port", "0"], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`trackway micro exited with ${code}`)));
  });
  startupMs = Date.now() - started;
  ready = JSON.parse(first) as typeof ready;
  // The test's own copy of the shop's message types, to build events as an app would.
  const dir = await mkdtemp(join(tmpdir(), "micro-it-"));
  await promisify(execFile)(process.execPath, [join(repoRoot, "node_modules/@bufbuild/buf/bin/buf"), "build", "examples/proto", "--as-file-descriptor-set", "-o", join(dir, "i.binpb")], { cwd: repoRoot });
  types = createFileRegistry(fromBinary(FileDescriptorSetSchema, await readFile(join(dir, "i.binpb"))));
  await rm(dir, { recursive: true, force: true });
});
afterAll(() => {
  child?.kill("SIGTERM");
});

const get = async (path: string) => {
  const r = await fetch(`${ready.http}${path}`);
  return { status: r.status, body: (await r.json()) as unknown };
};

async function sendShopEvents() {
  const client = createClient({ address: ready.ingest, apiKey: ready.apiKey, schemas: types, identity: { userId: "u-micro" }, versions: { "shop.page_viewed": 1, "shop.order_completed": 1 } });
  const page = types.getMessage("shop.v1.PageViewed")!;
  const order = types.getMessage("shop.v1.OrderCompleted")!;
  client.track("shop.page_viewed", create(page, { pageType: "home", loadTimeMs: 120 }));
  client.track("shop.page_viewed", create(page, { pageType: "product", loadTimeMs: 80 }));
  const money = types.getMessage("shop.v1.Money")!;
  client.track("shop.order_completed", create(order, { orderId: "o-1", skus: ["sku-1"], total: create(money, { units: 19n, currency: "EUR" }) }));
  // Breaks the contract's protovalidate rules (total is required): rejected as ingest rejects it.
  client.track("shop.order_completed", create(order, { orderId: "o-2", skus: ["sku-2"] }));
  client.track("shop.wishlist_added", create(page, { pageType: "x" }), { version: 1 });
  client.track("shop.page_viewed", create(page, { pageType: "home" }), { version: 7 });
  await client.close(10_000);
}

describe("trackway micro", () => {
  it("starts from the folder's contracts and reports its start-up cost on its first line", () => {
    // How fast is bench/micro's to judge (RESULTS.md there): a timed assertion here would fail on a busy runner.
    console.info(`micro: first line after ${startupMs} ms wall (${ready.startupMs} ms in the process), ${ready.cpuMs} ms CPU`);
    expect(ready.cpuMs).toBeGreaterThan(0);
    expect(ready.startupMs).toBeGreaterThan(0);
    expect(ready.subjects).toContain("shop.order_completed");
  });

  it("answers all, good and bad over HTTP with what the SDK sent, validated as ingest validates", async () => {
    await get("/micro/reset");
    await sendShopEvents();
    expect((await get("/micro/all")).body).toEqual({ total: 6, good: 3, bad: 3 });

    const pages = (await get("/micro/good?event=shop.page_viewed")).body as { event_name: string; properties: Record<string, unknown>; user_id: string }[];
    expect(pages).toHaveLength(2);
    expect(pages.every((e) => e.event_name === "shop.page_viewed" && e.user_id === "u-micro")).toBe(true);
    expect((await get("/micro/good?event=shop.page_viewed&prop.page_type=home")).body).toMatchObject([{ properties: { page_type: "home", load_time_ms: 120 } }]);
    expect((await get("/micro/good?version=1&user=u-micro")).body).toHaveLength(3);
    expect((await get("/micro/good?user=someone-else")).body).toEqual([]);

    const bad = (await get("/micro/bad")).body as { reason: string; reasons: string[]; message: string }[];
    expect(bad.map((b) => b.reason).sort()).toEqual(["CONTRACT_VIOLATION", "UNKNOWN_EVENT", "UNKNOWN_SCHEMA_VERSION"]);
    expect(bad.find((b) => b.reason === "CONTRACT_VIOLATION")?.message).toContain("total");
    expect((await get("/micro/bad?reason=UNKNOWN_SCHEMA_VERSION")).body).toMatchObject([{ reasons: ["UNKNOWN_SCHEMA_VERSION"] }]);
    expect((await get("/micro/bad?event=shop.wishlist_added")).body).toHaveLength(1);
  });

  it("resets, and names a bad filter or route with a reason", async () => {
    expect((await (await fetch(`${ready.http}/micro/reset`, { method: "POST" })).json()) as unknown).toEqual({ total: 0, good: 0, bad: 0 });
    expect((await get("/micro/all")).body).toEqual({ total: 0, good: 0, bad: 0 });
    expect(await get("/micro/good?version=latest")).toMatchObject({ status: 400, body: { reason: "FILTER_INVALID" } });
    expect(await get("/micro/nope")).toMatchObject({ status: 404, body: { reason: "NOT_FOUND" } });
  });
});
