import { Kafka, logLevel, type Admin, type Consumer, type Producer } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlinkRestClient, SqlGatewayClient, type SqlGatewaySession, type StatementResult } from "@trackway/flink";
import { ensureStack, type StackEndpoints } from "@trackway/stack";
import { sleep } from "../../support/index.js";

// One run's names: reruns against the same long-lived stack never see each other's topic, group or table.
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const topic = `trackway.stack-it.${run}`;
const table = `stack_it_${run}`;

const events = [
  { event_id: "e1", event_name: "app_open", ts: 1_000, event_date: "2026-11-24" },
  { event_id: "e2", event_name: "click", ts: 2_000, event_date: "2026-11-25" },
  { event_id: "e3", event_name: "purchase", ts: 3_000, event_date: "2026-11-25" },
  // Same record key as e2 with a later ts: Hudi upserts instead of keeping two rows.
  { event_id: "e2", event_name: "click_retry", ts: 2_500, event_date: "2026-11-25" },
];
const expected = [
  ["e1", "app_open", 1_000, "2026-11-24"],
  ["e2", "click_retry", 2_500, "2026-11-25"],
  ["e3", "purchase", 3_000, "2026-11-25"],
];


describe("local stack", () => {
  let endpoints: StackEndpoints;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer | undefined;
  let session: SqlGatewaySession | undefined;
  let streamingJobId: string | undefined;

  beforeAll(async () => {
    // Throws when the stack cannot come up: the suite fails, it never skips.
    endpoints = await ensureStack();
    kafka = new Kafka({ clientId: "stack-it", brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
  });

  afterAll(async () => {
    if (streamingJobId) await new FlinkRestClient({ baseUrl: endpoints.flinkRestUrl }).cancelAndWait(streamingJobId);
    await session?.close().catch(() => {});
    await consumer?.disconnect();
    await producer?.disconnect();
    await admin?.disconnect();
  });

  it("creates a topic, produces and consumes through Kafka", async () => {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await producer.send({
      topic,
      messages: events.map((e) => ({ key: e.event_id, value: JSON.stringify(e) })),
    });

    consumer = kafka.consumer({ groupId: `stack-it-${run}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`consumed ${seen.length} of ${events.length} records`)), 30_000);
      void consumer!.run({
        eachMessage: async ({ message }) => {
          seen.push(JSON.parse(message.value!.toString()));
          if (seen.length === events.length) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    expect(seen).toEqual(events);
  });

  it("streams the topic into a Hudi table with a Flink SQL job and reads it back in BATCH mode", async () => {
    const gateway = new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl });
    expect((await gateway.info()).productName).toBe("Apache Flink");
    // Hudi commits on checkpoints: a short interval makes the rows visible quickly.
    session = await gateway.openSession({ name: "stack-it", properties: { "execution.checkpointing.interval": "2s" } });

    await session.execute(`
      CREATE TABLE events_src (event_id STRING, event_name STRING, ts BIGINT, event_date STRING) WITH (
        'connector' = 'kafka', 'topic' = '${topic}',
        'properties.bootstrap.servers' = '${endpoints.kafkaBrokers.join(",")}',
        'properties.group.id' = 'stack-it-flink-${run}', 'scan.startup.mode' = 'earliest-offset',
        'format' = 'json', 'json.ignore-parse-errors' = 'true')`);
    await session.execute(`
      CREATE TABLE events_hudi (event_id STRING, event_name STRING, ts BIGINT, event_date STRING,
        PRIMARY KEY (event_id) NOT ENFORCED) PARTITIONED BY (event_date) WITH (
        'connector' = 'hudi', 'path' = '${endpoints.hudiBasePath}/${table}',
        'table.type' = 'COPY_ON_WRITE', 'precombine.field' = 'ts',
        'write.tasks' = '1', 'write.bucket_assign.tasks' = '1', 'read.tasks' = '1')`);

    const insert = await session.execute("INSERT INTO events_hudi SELECT * FROM events_src");
    streamingJobId = insert.jobId;
    expect(streamingJobId).toMatch(/^[0-9a-f]{32}$/);

    // Poll with batch queries until the checkpointed commit holds every key (or 120 s pass).
    let result: StatementResult | undefined;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      result = await session.execute("SELECT event_id, event_name, ts, event_date FROM events_hudi", {
        executionConfig: { "execution.runtime-mode": "batch" },
      });
      if (result.rows.length >= expected.length) break;
      await sleep(2_000);
    }
    expect(result?.columns.map((c) => c.name)).toEqual(["event_id", "event_name", "ts", "event_date"]);
    const rows = (result?.rows ?? []).map((r) => r.fields).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(rows).toEqual(expected);

    const job = await fetch(`${endpoints.flinkRestUrl}/jobs/${streamingJobId}`).then((r) => r.json() as Promise<{ state: string }>);
    expect(job.state).toBe("RUNNING");
  });
});
