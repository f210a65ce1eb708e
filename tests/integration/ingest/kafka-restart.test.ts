import { createClient } from "@trackway/client";
import type { RunningIngest } from "@trackway/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AckLog, auditTopic, durableClientOptions, ingestWorld, privateKafka, sharedStack, sleep, waitFor, startSendLoop, type IngestWorld, type PrivateKafka } from "../../support/index.js";

let w: IngestWorld;
let kafka: PrivateKafka;
let ingest: RunningIngest;
beforeAll(async () => {
  kafka = await privateKafka((await sharedStack()).endpoints);
  w = await ingestWorld();
  ingest = await w.startIngest({ TRACKWAY_KAFKA_BROKERS: kafka.brokers });
});
afterAll(async () => {
  await w?.stop();
  await kafka?.stop();
});


describe("a Kafka broker killed and restarted during a send loop", () => {
  it("loses no acknowledged event; retried batches may show up twice", async () => {
    const log = new AckLog();
    const client = createClient({ ...durableClientOptions(ingest.address, w.apiKey, w.orderV1, log, 2000), batchTimeoutMs: 15_000 });
    const sending = startSendLoop(client, w.orderV1);

    // Kill only once the loop is acknowledging: on a loaded machine the first batch can take longer than a fixed wait.
    await waitFor("first acknowledged batch", () => (log.acked.size > 0 ? true : undefined), 60_000);
    await sleep(1000);
    const ackedBeforeKill = log.acked.size;
    await kafka.kill();
    await sleep(4000);
    const ackedWhileDown = log.acked.size;
    await kafka.restart();
    await sleep(4000);
    const tracked = await sending.stop();
    await client.close(120_000);

    const audit = await auditTopic(kafka.brokers, w.topics.events, log.acked);
    console.info(
      `kafka restart: tracked ${tracked}, acknowledged ${log.acked.size} (${ackedBeforeKill} before the kill, ${ackedWhileDown - ackedBeforeKill} while down), ` +
        `retries ${JSON.stringify(Object.fromEntries(log.retries))}, in topic ${audit.records} records / ${audit.distinct} ids, duplicates ${audit.duplicates}`,
    );
    expect(ackedBeforeKill).toBeGreaterThan(0);
    expect(log.retries.get("KAFKA_UNAVAILABLE") ?? 0).toBeGreaterThan(0);
    expect(log.drops).toEqual([]);
    expect(log.acked.size).toBe(tracked);
    expect(audit.missing).toEqual([]);
  });
});
