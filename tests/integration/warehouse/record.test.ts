import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { create, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { createClient, UnaryTransport } from "@trackway/client";
import { odsColumns } from "@trackway/envelope";
import type { RunningIngest } from "@trackway/ingest";
import { EventSchema } from "@trackway/proto/es/event/v1";
import { Event, EventBatch, EventHeader, type DeepPartial } from "@trackway/proto/event/v1";
import type { BatchResult } from "@trackway/proto/ingest/v1";
import { SqlGatewayClient, type SqlGatewaySession } from "@trackway/flink";
import { ensureStack, type StackEndpoints } from "@trackway/stack";
import { loadWarehouse, runJob, type Warehouse } from "@trackway/warehouse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestWorld, type IngestWorld } from "../../support/index.js";
import { batchRows, readerSession, waitFinished } from "../../support/flink-jobs.js";

// One ODS run (BATCH, bounded at the topic's end) over everything this file sends, then the assertions.
let w: IngestWorld;
let ingest: RunningIngest;
let endpoints: StackEndpoints;
let wh: Warehouse;
let reader: SqlGatewaySession;
let globexKey: string;
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const results: Record<string, BatchResult> = {};
const startedAt = new Date(Date.now() - 1000);
let values: Record<string, string>;

const eventTime = new Date(Date.now() - 3_600_000);
const context = {
  app: { name: "shop-ios", version: "5.1.0", build: "5100", namespace: "com.example.shop" },
  os: { name: "iOS", version: "18.1" },
  device: { manufacturer: "Apple", model: "iPhone16,2", type: "mobile", advertisingId: "ad-123" },
  network: { carrier: "Orange", wifi: true, cellular: false, bluetooth: true },
  locale: "fr-FR",
  timezone: "Europe/Paris",
  library: { name: "custom-lib", version: "9.9.9" },
  page: { path: "/cart", url: "https://shop.example/cart?x=1", title: "Cart", search: "?x=1" },
  screen: { name: "CartScreen", width: 1179, height: 2556, density: 2.5 },
  referrer: { type: "search", name: "duckduckgo", url: "https://duckduckgo.com/", link: "link-7" },
  campaign: { name: "winter", source: "newsletter", medium: "email", term: "boots", content: "banner-a" },
  userAgent: "ShopApp/5.1.0 (iPhone; iOS 18.1)",
  ip: "203.0.113.9",
};

/** An encoded SendBatchRequest, extra raw event bytes appended as further `events` entries. */
function request(batch: EventBatch, rawEvents: Uint8Array[] = []): Uint8Array {
  const writer = EventBatch.encode(batch);
  for (const raw of rawEvents) writer.uint32((4 << 3) | 2).bytes(raw);
  return new BinaryWriter().uint32((1 << 3) | 2).bytes(writer.finish()).finish();
}
const send = (bytes: Uint8Array, key: string) => new UnaryTransport({ address: ingest.address, apiKey: key, compression: "gzip" }).send(bytes, 15_000);
const props = () => Buffer.from(toBinary(w.orderV1, create(w.orderV1, { orderId: "o-1", itemCount: 1 })));
const batchOf = (id: string, events: DeepPartial<Event>[]) =>
  EventBatch.fromPartial({ batchId: id, sentAt: new Date(), common: { eventName: "shop.order_completed", schemaVersion: 1, identity: { userId: "u-1" } }, events });
/** Replaces the bytes of `marker` (same length) in an encoded message. */
function patch(buf: Uint8Array, marker: string, bytes: number[]): Uint8Array {
  const at = Buffer.from(buf).indexOf(Buffer.from(marker));
  if (at < 0) throw new Error(`marker ${marker} not found`);
  const out = Buffer.from(buf);
  out.set(bytes, at);
  return out;
}

beforeAll(async () => {
  endpoints = await ensureStack();
  w = await ingestWorld();
  ingest = await w.startIngest();
  globexKey = (await w.keys.create({ tenant: `globex-${run}`, name: "it" })).key;
  wh = await loadWarehouse();
  values = {
    kafka_brokers: endpoints.kafkaBrokers.join(","),
    events_topic: w.topics.events,
    kafka_group_id: `record-it-${run}`,
    hudi_base_path: `${endpoints.hudiBasePath}/record-it-${run}`,
  };

  // 1. Every envelope field, through the SDK.
  const client = createClient({
    address: ingest.address,
    apiKey: w.apiKey,
    schemas: [w.orderV1],
    versions: { "shop.order_completed": 1 },
    identity: { userId: "u-all", anonymousId: "anon-all", deviceId: "dev-all" },
    sessionId: "sess-all",
    context,
    attributes: { region: "eu", plan: "pro" },
    hooks: { onBatchSent: (b) => (results.all = b.result) },
  });
  client.track("shop.order_completed", create(w.orderV1, { orderId: "o-all", itemCount: 2 }), { eventId: "rec-all", eventTime });
  await client.close();

  // 2. Tenant globex first, then acme re-using globex's event ids.
  const shared = (user: string) => [0, 1, 2].map((i) => ({ header: { eventId: `shared-${i}`, identity: { userId: user } }, properties: props() }));
  results.globex = await send(request(batchOf("b-globex", shared("globex-user"))), globexKey);
  results.acme = await send(request(batchOf("b-acme", shared("acme-user"))), w.apiKey);

  // 3. What the warehouse cannot hold, next to events it can.
  const huge = toBinary(EventSchema, create(EventSchema, { header: { eventId: "t-huge", eventTime: { seconds: 9_000_000_000_000n } }, properties: props() }));
  const badUtf8 = patch(Event.encode({ header: EventHeader.fromPartial({ eventId: "t-utf8", context: { page: { title: "QQ" } } }), properties: props() }).finish(), "QQ", [0xc3, 0x28]);
  results.bad = await send(
    request(
      batchOf("b-bad", [
        { header: { eventId: "t-year1", eventTime: new Date("0001-01-01T00:00:00Z") }, properties: props() },
        { header: { eventId: "t-sent1970", eventTime: new Date(), sentAt: new Date(0) }, properties: props() },
        { header: { eventId: "t-clock1970", eventTime: new Date(5_000), sentAt: new Date(10_000) }, properties: props() },
        { header: { eventId: "t-fffd", identity: { userId: "u-\uFFFD" } }, properties: props() },
      ]),
      [huge, badUtf8],
    ),
    w.apiKey,
  );

  const job = await runJob(await new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl }).openSession({ name: "record-it" }), wh, "ods_events", "BATCH", values);
  await waitFinished(endpoints.flinkRestUrl, job.flinkJobId);
  reader = await readerSession(endpoints, wh, values);
}, 300_000);

afterAll(async () => {
  await reader?.close().catch(() => {});
  await w?.stop();
});

const row = async (where: string): Promise<Record<string, unknown>[]> => {
  const cols = odsColumns().map((c) => c.name);
  const rows = await batchRows(reader, `SELECT ${cols.join(", ")} FROM ods_events WHERE ${where} ORDER BY tenant, event_id`);
  return rows.map((r) => Object.fromEntries(cols.map((c, i) => [c, r[i]])));
};
const ms = (v: unknown) => Date.parse(`${String(v).slice(0, 23)}Z`);

describe("the record contract end to end", () => {
  it("reads every envelope field of an event back from ods_events", async () => {
    expect(results.all).toMatchObject({ accepted: 1, rejected: 0 });
    const [r] = await row("event_id = 'rec-all'");
    expect(r).toBeDefined();
    // Every column but warnings (this event has none) holds a value.
    expect(Object.entries(r!).filter(([k, v]) => v === null && k !== "warnings").map(([k]) => k)).toEqual([]);
    const c = context;
    expect(r).toMatchObject({
      event_id: "rec-all", tenant: "acme", event_name: "shop.order_completed", schema_version: 1, batch_id: expect.any(String),
      user_key: "u-all", user_id: "u-all", anonymous_id: "anon-all", device_id: "dev-all", session_id: "sess-all",
      app_name: c.app.name, app_version: c.app.version, app_build: c.app.build, app_namespace: c.app.namespace,
      os_name: c.os.name, os_version: c.os.version,
      device_manufacturer: c.device.manufacturer, device_model: c.device.model, device_type: c.device.type, device_advertising_id: c.device.advertisingId,
      network_carrier: c.network.carrier, network_wifi: true, network_cellular: false, network_bluetooth: true,
      locale: c.locale, timezone: c.timezone, library_name: c.library.name, library_version: c.library.version,
      page_path: c.page.path, page_url: c.page.url, page_title: c.page.title, page_search: c.page.search,
      screen_name: c.screen.name, screen_width: c.screen.width, screen_height: c.screen.height, screen_density: c.screen.density,
      referrer_type: c.referrer.type, referrer_name: c.referrer.name, referrer_url: c.referrer.url, referrer_link: c.referrer.link,
      campaign_name: c.campaign.name, campaign_source: c.campaign.source, campaign_medium: c.campaign.medium, campaign_term: c.campaign.term, campaign_content: c.campaign.content,
      user_agent: c.userAgent, context_ip: c.ip, client_ip: expect.stringMatching(/127\.0\.0\.1/),
      attributes: { region: "eu", plan: "pro" },
      event_date: new Date(ms(r!.event_time)).toISOString().slice(0, 10),
    });
    expect(JSON.parse(String(r!.properties))).toMatchObject({ order_id: "o-all", item_count: 2 });
    expect(ms(r!.client_event_time)).toBe(eventTime.getTime());
    expect(Math.abs(ms(r!.event_time) - eventTime.getTime())).toBeLessThan(60_000);
    expect(ms(r!.received_at)).toBeGreaterThanOrEqual(ms(r!.sent_at) - 60_000);
  });

  it("keeps tenants apart: acme re-using globex's event ids leaves globex's rows untouched", async () => {
    expect([results.globex!.accepted, results.acme!.accepted]).toEqual([3, 3]);
    const rows = (await row("event_id LIKE 'shared-%'")).map((r) => [r.tenant, r.event_id, r.user_id]);
    expect(rows).toEqual([
      ["acme", "shared-0", "acme-user"], ["acme", "shared-1", "acme-user"], ["acme", "shared-2", "acme-user"],
      [`globex-${run}`, "shared-0", "globex-user"], [`globex-${run}`, "shared-1", "globex-user"], [`globex-${run}`, "shared-2", "globex-user"],
    ]);
    // The DWS distinct counts are per tenant too: globex's three events and one user, whatever acme sent.
    const job = await runJob(await new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl }).openSession({ name: "record-it-dws" }), wh, "dws_event_counts_hourly", "BATCH", values);
    await waitFinished(endpoints.flinkRestUrl, job.flinkJobId);
    const dws = await batchRows(reader, `SELECT SUM(event_count), MAX(unique_users) FROM dws_event_counts_hourly WHERE tenant = 'globex-${run}'`);
    expect(dws).toEqual([[3, 1]]);
  });

  it("refuses times and strings the warehouse cannot hold, and stores every event it acknowledged", async () => {
    expect(results.bad!.rejections.map((r) => [r.eventId, r.reason])).toEqual([
      ["t-year1", "EVENT_TIME_OUT_OF_RANGE"],
      ["t-huge", "EVENT_TIME_OUT_OF_RANGE"],
      ["t-utf8", "INVALID_UTF8"],
    ]);
    expect(results.bad!.accepted).toBe(3);
    const rows = new Map((await row("event_id LIKE 't-%'")).map((r) => [r.event_id, r]));
    expect([...rows.keys()].sort()).toEqual(["t-clock1970", "t-fffd", "t-sent1970"]);
    // sent_at in 1970 next to a true event time: clamped to the receive time with a warning, not moved to 2083.
    const clamped = rows.get("t-sent1970")!;
    expect(clamped.warnings).toEqual(["EVENT_TIME_CLAMPED"]);
    expect(ms(clamped.event_time)).toBe(ms(clamped.received_at));
    expect(String(clamped.sent_at)).toMatch(/^1970-01-01T00:00/);
    // A device clock reading 1970: its times are kept as sent, the event time corrected to the present.
    const clock = rows.get("t-clock1970")!;
    expect(String(clock.client_event_time)).toMatch(/^1970-01-01T00:00:05/);
    expect(Math.abs(ms(clock.event_time) - ms(clock.received_at))).toBeLessThanOrEqual(5_000);
    // A real U+FFFD is valid UTF-8 and kept as sent.
    expect(rows.get("t-fffd")!.user_id).toBe("u-\uFFFD");
  });
});

describe("trackway audit", () => {
  const exec = promisify(execFile);
  const audit = (tenant: string) =>
    exec("node", ["packages/cli/bin/trackway.js", "audit", "--tenant", tenant, "--from", startedAt.toISOString(), "--topic", w.topics.events, "--hudi-base-path", values.hudi_base_path!, "--json"], {
      cwd: `${import.meta.dirname}/../../..`,
      env: { ...process.env, TRACKWAY_LOG_LEVEL: "silent" },
      timeout: 240_000,
    }).then(
      (r) => ({ code: 0, report: JSON.parse(r.stdout) as { acknowledged: number; stored: number; duplicates: number; missing: { eventId: string }[] } }),
      (e: { code: number; stdout: string }) => ({ code: e.code, report: JSON.parse(e.stdout) as { acknowledged: number; stored: number; duplicates: number; missing: { eventId: string }[] } }),
    );

  it("finds every acknowledged event in ods_events: out-of-range times, invalid UTF-8 and every envelope field sent", async () => {
    // acme: rec-all, three shared ids, three accepted of the bad batch (the three refused were never acknowledged).
    const { code, report } = await audit("acme");
    expect(report).toMatchObject({ acknowledged: 7, stored: 7, duplicates: 0, missing: [] });
    expect(code).toBe(0);
  }, 300_000);

  it("lists an acknowledged event that ods_events lacks, and exits 1", async () => {
    // Acknowledged after the BATCH ODS run: on the topic, not in the table.
    const late = await send(request(batchOf("b-late", [{ header: { eventId: "late-1" }, properties: props() }])), globexKey);
    expect(late.accepted).toBe(1);
    const { code, report } = await audit(`globex-${run}`);
    expect(report).toMatchObject({ acknowledged: 4, stored: 3, missing: [{ eventId: "late-1" }] });
    expect(code).toBe(1);
  }, 300_000);
});
