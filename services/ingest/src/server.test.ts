import { create, toBinary } from "@bufbuild/protobuf";
import { credentials, Metadata, status, type ServiceError } from "@grpc/grpc-js";
import { EventBatch, EventHeader, type DeepPartial } from "@trackway/proto/event/v1";
import { IngestServiceClient, type BatchResult, type IngestResponse } from "@trackway/proto/ingest/v1";
import { generateApiKey, hashApiKey, tenantMetricId, type Principal, type PrincipalLookup } from "@trackway/auth";
import { configOf, reasonOf, silentLogger, type Setting } from "@trackway/runtime";
import { IngestConfig } from "./config.js";
import { afterEach, describe, expect, it } from "vitest";
import type { EnrichedEvent } from "./core/enriched-event.js";
import type { RecordSink } from "./handlers/batch-pipeline.js";
import { startIngest, type RunningIngest } from "./server.js";
import type { RecordSpec } from "./core/process-batch.js";
import { orderCompletedDesc, shopSchemas } from "../../../tests/fixtures/ingest/index.js";

const KEY = generateApiKey();
const keys: PrincipalLookup = {
  findByHash: async (h) => (h === hashApiKey(KEY) ? ({ keyId: "k1", tenant: "acme", allowedEvents: undefined, scopes: new Set(["events:write"]) } satisfies Principal) : undefined),
};

/** A sink that records batches and can be held (a slow Kafka) or made to fail (Kafka down). */
class Sink implements RecordSink {
  batches: { events: RecordSpec[]; rejected: RecordSpec[] }[] = [];
  held: (() => void)[] = [];
  hold = false;
  fail = false;
  delay = () => 0;
  async produce(records: { events: RecordSpec[]; rejected: RecordSpec[]; bytes: number }): Promise<void> {
    this.batches.push(records);
    if (this.hold) await new Promise<void>((r) => this.held.push(r));
    const d = this.delay();
    if (d > 0) await new Promise((r) => setTimeout(r, d));
    if (this.fail) throw new Error("broker down");
  }
}

let running: RunningIngest | undefined;
afterEach(async () => {
  await running?.stop(500);
  running = undefined;
});

async function start(sink: Sink, extra: Record<string, Setting> = {}) {
  running = await startIngest(
    configOf(IngestConfig, { TRACKWAY_INGEST_PORT: 0, TRACKWAY_INGEST_METRICS_PORT: 0, TRACKWAY_INGEST_STREAM_WINDOW: 4, ...extra }),
    silentLogger,
    { keys, schemas: shopSchemas(), sink },
  );
  return running;
}

const client = (address: string, compression = 0) =>
  new IngestServiceClient(address, credentials.createInsecure(), { "grpc.default_compression_algorithm": compression });
const md = (key = KEY) => {
  const m = new Metadata();
  m.set("x-api-key", key);
  return m;
};

const props = Buffer.from(toBinary(orderCompletedDesc(1), create(orderCompletedDesc(1), { orderId: "o-1", itemCount: 1 })));
function batch(id: string, n = 2, header: DeepPartial<EventHeader> = {}): EventBatch {
  return EventBatch.fromPartial({
    batchId: id,
    sentAt: new Date(),
    common: { eventName: "shop.order_completed", schemaVersion: 1, identity: { userId: "u-1" }, ...header },
    events: Array.from({ length: n }, (_, i) => ({ header: { eventId: `${id}-${i}` }, properties: props })),
  });
}

/** Starts ingest on `sink` and opens an Ingest stream; `results` collects the answered batch ids in order. */
async function openStream(sink: Sink) {
  const s = await start(sink);
  const stream = client(s.address).ingest(md());
  const results: string[] = [];
  stream.on("data", (r: IngestResponse) => results.push(r.result!.batchId));
  return { s, stream, results };
}

const sendBatch = (c: IngestServiceClient, b: EventBatch, metadata = md()) =>
  new Promise<BatchResult>((resolve, reject) => c.sendBatch({ batch: b }, metadata, (e, r) => (e ? reject(e) : resolve(r.result!))));

describe("ingest over gRPC", () => {
  it("answers SendBatch after the sink took the batch's records", async () => {
    const sink = new Sink();
    const s = await start(sink);
    const result = await sendBatch(client(s.address), batch("b1", 3));
    expect(result).toMatchObject({ batchId: "b1", accepted: 3, rejected: 0 });
    expect(sink.batches[0]!.events.map((e) => (JSON.parse(e.value) as EnrichedEvent).event_id)).toEqual(["b1-0", "b1-1", "b1-2"]);
    expect((JSON.parse(sink.batches[0]!.events[0]!.value) as EnrichedEvent).client_ip).toBe("127.0.0.1");
  });

  it("accepts gzip and deflate compressed batches", async () => {
    const s = await start(new Sink());
    expect((await sendBatch(client(s.address, 2), batch("gz"))).accepted).toBe(2);
    expect((await sendBatch(client(s.address, 1), batch("df"))).accepted).toBe(2);
  });

  it("refuses a missing or unknown key with UNAUTHENTICATED on both RPCs", async () => {
    const s = await start(new Sink());
    const c = client(s.address);
    const noKey = (await sendBatch(c, batch("x"), new Metadata()).catch((e: unknown) => e)) as ServiceError;
    expect([noKey.code, reasonOf(noKey)]).toEqual([status.UNAUTHENTICATED, "API_KEY_MISSING"]);
    const bad = (await sendBatch(c, batch("x"), md(generateApiKey())).catch((e: unknown) => e)) as ServiceError;
    expect([bad.code, reasonOf(bad)]).toEqual([status.UNAUTHENTICATED, "API_KEY_INVALID"]);
    const bearer = new Metadata();
    bearer.set("authorization", `Bearer ${KEY}`);
    expect((await sendBatch(c, batch("y"), bearer)).accepted).toBe(2);
    const stream = c.ingest(md("twk_nope"));
    const err = await new Promise<ServiceError>((resolve) => stream.on("error", resolve));
    expect([err.code, reasonOf(err)]).toEqual([status.UNAUTHENTICATED, "API_KEY_INVALID"]);
  });

  it("refuses batches over the limits with a status and a reason, and rejects an oversized event alone", async () => {
    const s = await start(new Sink(), { TRACKWAY_INGEST_MAX_BATCH_EVENTS: 3, TRACKWAY_INGEST_MAX_BATCH_BYTES: 2000, TRACKWAY_INGEST_MAX_EVENT_BYTES: 300 });
    const c = client(s.address);
    const many = (await sendBatch(c, batch("many", 4)).catch((e: unknown) => e)) as ServiceError;
    expect([many.code, reasonOf(many)]).toEqual([status.INVALID_ARGUMENT, "BATCH_TOO_MANY_EVENTS"]);
    const big = batch("big", 1);
    big.events[0]!.properties = Buffer.alloc(2500);
    const large = (await sendBatch(c, big).catch((e: unknown) => e)) as ServiceError;
    expect([large.code, reasonOf(large)]).toEqual([status.RESOURCE_EXHAUSTED, "BATCH_TOO_LARGE"]);
    const oneBig = batch("one", 2);
    oneBig.events[1]!.properties = Buffer.concat([props, Buffer.alloc(400)]);
    const r = await sendBatch(c, oneBig);
    expect(r.accepted).toBe(1);
    expect(r.rejections).toMatchObject([{ index: 1, eventId: "one-1", reason: "EVENT_TOO_LARGE" }]);
  });

  it("answers UNAVAILABLE (KAFKA_UNAVAILABLE) when the sink fails", async () => {
    const sink = new Sink();
    sink.fail = true;
    const s = await start(sink);
    const e = (await sendBatch(client(s.address), batch("k")).catch((x: unknown) => x)) as ServiceError;
    expect([e.code, reasonOf(e)]).toEqual([status.UNAVAILABLE, "KAFKA_UNAVAILABLE"]);
  });

  it("streams one result per batch, in order, however long each batch takes", async () => {
    const sink = new Sink();
    sink.delay = () => Math.random() * 20;
    const { stream, results } = await openStream(sink);
    for (let i = 0; i < 30; i++) stream.write({ batch: batch(`s${i}`) });
    stream.end();
    await new Promise((r) => stream.on("status", r));
    expect(results).toEqual(Array.from({ length: 30 }, (_, i) => `s${i}`));
  });

  it("stops reading a stream whose window of in-flight batches is full", async () => {
    const sink = new Sink();
    sink.hold = true;
    const { stream, results } = await openStream(sink);
    stream.on("error", () => undefined);
    for (let i = 0; i < 40; i++) stream.write({ batch: batch(`w${i}`) });
    await new Promise((r) => setTimeout(r, 300));
    // Window of 4: only 4 batches reached the sink although 40 were written.
    expect(sink.batches).toHaveLength(4);
    for (const release of sink.held.splice(0)) release();
    await new Promise((r) => setTimeout(r, 100));
    expect(results.slice(0, 4)).toEqual(["w0", "w1", "w2", "w3"]);
    expect(sink.batches.length).toBe(8);
    stream.cancel();
  });

  it("drains on stop: in-flight batches get their results, then the stream ends UNAVAILABLE", async () => {
    const sink = new Sink();
    sink.hold = true;
    const { s, stream, results } = await openStream(sink);
    const ended = new Promise<ServiceError>((r) => stream.on("error", r));
    for (let i = 0; i < 2; i++) stream.write({ batch: batch(`d${i}`) });
    await new Promise((r) => setTimeout(r, 100));
    const stopping = s.stop(5000);
    await new Promise((r) => setTimeout(r, 100));
    for (const release of sink.held.splice(0)) release();
    const err = await ended;
    await stopping;
    running = undefined;
    expect(results).toEqual(["d0", "d1"]);
    expect([err.code, reasonOf(err)]).toEqual([status.UNAVAILABLE, "SHUTTING_DOWN"]);
  });

  it("counts accepted and rejected events by reason in /metrics, naming the tenant by its opaque id (finding 6)", async () => {
    const s = await start(new Sink(), { TRACKWAY_METRICS_TENANT_SECRET: "metrics-secret" });
    const c = client(s.address);
    await sendBatch(c, batch("m", 2));
    await sendBatch(c, batch("n", 1, { eventName: "shop.nope" }));
    const text = await (await fetch(`http://127.0.0.1:${s.metricsServer.port}/metrics`)).text();
    const id = tenantMetricId("acme", "metrics-secret");
    expect(text).not.toContain("acme");
    expect(text).toContain(`trackway_ingest_events_accepted_total{tenant="${id}",service="ingest"} 2`);
    expect(text).toContain(`trackway_ingest_events_rejected_total{tenant="${id}",reason="UNKNOWN_EVENT",service="ingest"} 1`);
    expect(text).toMatch(/trackway_ingest_batch_seconds_count\{service="ingest",method="SendBatch"\} 2/);
  });

  it("names tenants in /metrics only when TRACKWAY_INGEST_METRICS_TENANTS=name", async () => {
    const s = await start(new Sink(), { TRACKWAY_INGEST_METRICS_TENANTS: "name" });
    await sendBatch(client(s.address), batch("m", 2));
    const text = await (await fetch(`http://127.0.0.1:${s.metricsServer.port}/metrics`)).text();
    expect(text).toMatch(/trackway_ingest_events_accepted_total\{tenant="acme",service="ingest"\} 2/);
  });

  it("binds /metrics to 127.0.0.1 even when gRPC listens on every address", async () => {
    const s = await start(new Sink(), { TRACKWAY_INGEST_HOST: "0.0.0.0" });
    expect(s.metricsServer.address).toBe("127.0.0.1");
    expect(() => configOf(IngestConfig, { TRACKWAY_INGEST_METRICS_TENANTS: "names" })).toThrow(/TRACKWAY_INGEST_METRICS_TENANTS/);
  });
});
