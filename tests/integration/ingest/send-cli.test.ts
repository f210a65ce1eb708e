import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { RunningIngest } from "@trackway/ingest";
import { repoRoot } from "@trackway/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestWorldWithIngest, readTopic, type IngestWorld } from "../../support/index.js";

const run = promisify(execFile);
let w: IngestWorld;
let ingest: RunningIngest;
beforeAll(async () => {
  ({ w, ingest } = await ingestWorldWithIngest());
});
afterAll(() => w?.stop());

const send = (...args: string[]) =>
  run("node", ["packages/cli/bin/trackway.js", "send", ...args, "--address", ingest.address, "--registry", w.registry.registry.address], {
    cwd: repoRoot,
    env: { ...process.env, TRACKWAY_API_KEY: w.apiKey },
  });

describe("trackway send", () => {
  it("sends sample events generated from the registered schema", async () => {
    const { stdout } = await send("shop.order_completed", "-n", "25", "--user-id", "cli-user");
    expect(JSON.parse(stdout)).toMatchObject({ sent: 25, accepted: 25, rejected: {}, dropped: {} });
    const records = await readTopic(w.brokers, w.topics.events, (r) => r.filter((x) => x.value.user_id === "cli-user").length >= 25);
    const mine = records.filter((x) => x.value.user_id === "cli-user");
    expect(mine[0]!.value).toMatchObject({ schema_version: 2, library_name: "trackway-cli", properties: { order_id: expect.stringMatching(/^order_id-\d+$/) } });
  });

  it("sends events from a JSON lines file, and exits non-zero with the reasons when some are rejected", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "send-"));
    const file = path.join(dir, "events.jsonl");
    await writeFile(
      file,
      [
        { event: "shop.order_completed", version: 1, event_id: "file-1", user_id: "file-user", properties: { order_id: "o-9", total_cents: "120", item_count: 2 } },
        { event: "shop.order_completed", event_id: "file-2", anonymous_id: "anon-1", event_time: "2026-01-02T03:04:05Z", properties: { orderId: "o-10", currency: "EUR" } },
      ]
        .map((e) => JSON.stringify(e))
        .join("\n"),
    );
    const { stdout } = await send("--file", file);
    expect(JSON.parse(stdout)).toMatchObject({ sent: 2, accepted: 2 });
    const records = await readTopic(w.brokers, w.topics.events, (r) => ["file-1", "file-2"].every((id) => r.some((x) => x.value.event_id === id)));
    const second = records.find((x) => x.value.event_id === "file-2")!.value;
    expect(second).toMatchObject({ anonymous_id: "anon-1", schema_version: 2, client_event_time: Date.parse("2026-01-02T03:04:05Z"), properties: { order_id: "o-10", currency: "EUR" } });

    const { key: limited } = await w.keys.create({ tenant: "acme", allowedEvents: ["shop.other"] });
    const refused = (await run("node", ["packages/cli/bin/trackway.js", "send", "--file", file, "--address", ingest.address, "--registry", w.registry.registry.address], {
      cwd: repoRoot,
      env: { ...process.env, TRACKWAY_API_KEY: limited },
    }).catch((e: unknown) => e)) as { code: number; stdout: string; stderr: string };
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ sent: 2, accepted: 0, rejected: { EVENT_NOT_ALLOWED: 2 } });
    expect(refused.stderr).toContain("EVENT_NOT_ALLOWED");
  });

  it("says in one line what is wrong with a name the registry does not know", async () => {
    const e = (await send("shop.nope").catch((x: unknown) => x)) as { code: number; stderr: string };
    expect(e.code).toBe(1);
    expect(e.stderr.trim().split("\n").at(-1)).toMatch(/^trackway: "shop.nope" is not registered/);
  });
});
