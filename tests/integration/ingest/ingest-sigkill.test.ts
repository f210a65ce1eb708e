import { spawn, type ChildProcess } from "node:child_process";
import { createClient } from "@trackway/client";
import { checkHealth } from "@trackway/runtime";
import { repoRoot } from "@trackway/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AckLog, auditTopic, durableClientOptions, freePort, ingestWorld, sleep, startSendLoop, waitFor, type IngestWorld } from "../../support/index.js";

let w: IngestWorld;
const children: ChildProcess[] = [];
beforeAll(async () => {
  w = await ingestWorld();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await w?.stop();
});


/** Runs ingest as its own process, as in production (`tsx services/ingest/src/main.ts`), and waits until it serves. */
async function startChild(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "services/ingest/src/main.ts"], {
    cwd: repoRoot,
    // The metrics port gets a free port of its own: port + 1 (the harness default) may be taken.
    env: { ...process.env, ...w.ingestEnv(port, { TRACKWAY_INGEST_METRICS_PORT: String(await freePort()) }) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`ingest exited with ${child.exitCode}`);
    if ((await checkHealth(`127.0.0.1:${port}`, "", 500).catch(() => "DOWN")) === "SERVING") return child;
    await sleep(100);
  }
  throw new Error("ingest did not become healthy in 30 s");
}

describe("ingest killed with SIGKILL mid-stream", () => {
  it("loses no acknowledged event: unacknowledged batches are resent to the next ingest", async () => {
    const port = await freePort();
    const first = await startChild(port);
    const log = new AckLog();
    const client = createClient(durableClientOptions(`127.0.0.1:${port}`, w.apiKey, w.orderV1, log, 1000));
    const sending = startSendLoop(client, w.orderV1);

    // Kill only once the loop is acknowledging: on a loaded machine the first batch can take longer than a fixed wait.
    await waitFor("first acknowledged batch", () => (log.acked.size > 0 ? true : undefined), 60_000);
    await sleep(1000);
    const ackedBeforeKill = log.acked.size;
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    await sleep(1000);
    await startChild(port);
    await sleep(3000);
    const tracked = await sending.stop();
    await client.close(60_000);

    const audit = await auditTopic(w.brokers, w.topics.events, log.acked);
    console.info(
      `ingest SIGKILL: tracked ${tracked}, acknowledged ${log.acked.size} (${ackedBeforeKill} before the kill), ` +
        `retries ${JSON.stringify(Object.fromEntries(log.retries))}, in topic ${audit.records} records / ${audit.distinct} ids, duplicates ${audit.duplicates}`,
    );
    expect(first.signalCode).toBe("SIGKILL");
    expect(ackedBeforeKill).toBeGreaterThan(0);
    expect([...log.retries.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(log.drops).toEqual([]);
    expect(log.acked.size).toBe(tracked);
    expect(audit.missing).toEqual([]);
  });
});
