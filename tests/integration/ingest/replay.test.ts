import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { UnaryTransport } from "@trackway/client";
import { createProperties, propertiesBytes } from "@trackway/envelope";
import type { RunningIngest } from "@trackway/ingest";
import { EventBatch } from "@trackway/proto/event/v1";
import { IngestRequest } from "@trackway/proto/ingest/v1";
import { repoRoot } from "@trackway/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestWorldWithIngest, readTopic, type IngestWorld } from "../../support/index.js";

const run = promisify(execFile);
let w: IngestWorld;
let ingest: RunningIngest;
const checkpoint = `it-${randomUUID().slice(0, 8)}`;
beforeAll(async () => {
  ({ w, ingest } = await ingestWorldWithIngest());
});
afterAll(() => w?.stop());

/** Sends `n` order events under version 9, which does not exist: each is rejected (UNKNOWN_SCHEMA_VERSION). */
async function sendRejected(n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  const properties = Buffer.from(propertiesBytes(w.orderV1, createProperties(w.orderV1, { orderId: "o-replay" })));
  const events = ids.map((eventId) => ({ header: { eventId, eventName: "shop.order_completed", schemaVersion: 9, identity: { userId: "u-replay" } }, properties }));
  const bytes = IngestRequest.encode({ batch: EventBatch.fromPartial({ batchId: randomUUID(), events }) }).finish();
  const r = await new UnaryTransport({ address: ingest.address, apiKey: w.apiKey, compression: "none" }).send(bytes, 10_000);
  expect(r.rejected).toBe(n);
  return ids;
}

const replay = async () => {
  const r = await run("node", ["packages/cli/bin/trackway.js", "events", "replay", "--checkpoint", checkpoint, "--to-version", "latest",
    "--address", ingest.address, "--registry", w.registry.registry.address, "--brokers", w.brokers.join(","), "--topic", w.topics.rejected], {
    cwd: repoRoot,
    env: { ...process.env, TRACKWAY_API_KEY: w.apiKey },
  });
  return { tally: JSON.parse(r.stdout) as { sent: number; accepted: number }, progress: r.stderr };
};

describe("trackway events replay --checkpoint", () => {
  it("replays only what came after the previous run, with progress, and each event once", async () => {
    const first = await sendRejected(3);
    const one = await replay();
    expect(one.tally).toMatchObject({ sent: 3, accepted: 3 });
    expect(one.progress).toMatch(/3\/3 rejected records read \(100%\), 3 replayed/);

    const two = await replay();
    expect(two.tally).toMatchObject({ sent: 0 });
    expect(two.progress).toContain(`nothing new on ${w.topics.rejected} since checkpoint "${checkpoint}"`);

    const later = await sendRejected(2);
    const three = await replay();
    expect(three.tally).toMatchObject({ sent: 2, accepted: 2 });
    expect(three.progress).toMatch(/2\/2 rejected records read \(100%\), 2 replayed/);

    const wanted = [...first, ...later];
    const records = await readTopic(w.brokers, w.topics.events, (r) => wanted.every((id) => r.some((x) => x.value.event_id === id)));
    const replayed = records.filter((r) => wanted.includes(r.value.event_id as string));
    expect(replayed).toHaveLength(5);
    // Relabelled to the latest registered version (2), each event exactly once.
    expect(new Set(replayed.map((r) => r.value.schema_version))).toEqual(new Set([2]));
  });
});
