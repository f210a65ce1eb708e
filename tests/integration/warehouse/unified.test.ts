import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { create, type DescMessage } from "@bufbuild/protobuf";
import { createClient } from "@trackway/client";
import type { RunningIngest } from "@trackway/ingest";
import { loadSchema } from "@trackway/registry-client";
import { SqlGatewayClient, type SqlGatewaySession } from "@trackway/flink";
import { ensureStack, type StackEndpoints } from "@trackway/stack";
import { loadWarehouse, runJob, type Warehouse } from "@trackway/warehouse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestWorld, type IngestWorld } from "../../support/index.js";
import { batchRows, cancelAll, jobValues, pollUntil, readerSession, waitFinished } from "../../support/flink-jobs.js";

// The fixed set of events: two event names, several users, five hours of one day plus the next day.
interface Planned {
  id: string;
  name: "shop.order_completed" | "shop.page_viewed";
  user: string;
  time: number;
}
const DAY = Date.UTC(2026, 10, 20);
const at = (day: number, hour: number, minute: number) => DAY + day * 86_400_000 + hour * 3_600_000 + minute * 60_000;
const planned: Planned[] = Array.from({ length: 60 }, (_, i) => ({
  id: `wh-${i}`,
  name: i % 3 === 0 ? "shop.order_completed" : "shop.page_viewed",
  user: `u${i % 7}`,
  // Minutes 10–49 keep every event inside its hour whatever the few milliseconds of clock-skew correction.
  time: i % 10 === 0 ? at(1, 8, 10 + (i % 40)) : at(0, 9 + ((i * 3) % 5), 10 + (i % 40)),
}));
// Sent after the streaming metrics caught up: an old hour must still be updated.
const late: Planned[] = [
  { id: "wh-late-0", name: "shop.page_viewed", user: "u100", time: at(0, 9, 30) },
  { id: "wh-late-1", name: "shop.order_completed", user: "u3", time: at(0, 9, 31) },
];

/** The metrics computed here, independently of Flink, from the unique events. */
function expected(events: Planned[]) {
  const hourly = new Map<string, { ids: Set<string>; users: Set<string>; name: string; hour: string; date: string }>();
  const daily = new Map<string, Set<string>>();
  for (const e of new Map(events.map((x) => [x.id, x])).values()) {
    const hour = new Date(Math.floor(e.time / 3_600_000) * 3_600_000).toISOString().slice(0, 19);
    const date = hour.slice(0, 10);
    const k = `${e.name}|${hour}`;
    const h = hourly.get(k) ?? { ids: new Set(), users: new Set(), name: e.name, hour, date };
    h.ids.add(e.id);
    h.users.add(e.user);
    hourly.set(k, h);
    daily.set(date, (daily.get(date) ?? new Set()).add(e.user));
  }
  return {
    hourly: [...hourly.values()].map((h) => ["acme", h.name, h.hour, h.ids.size, h.users.size, h.date]).sort(byJson),
    daily: [...daily.entries()].map(([d, users]) => ["acme", d, users.size]).sort(byJson),
  };
}
const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));
const sorted = (rows: unknown[][]) => rows.map((r) => r.map((v) => (typeof v === "string" && /^\d{4}-\d\d-\d\dT/.test(v) ? v.slice(0, 19) : v))).sort(byJson);

let w: IngestWorld;
let ingest: RunningIngest;
let endpoints: StackEndpoints;
let wh: Warehouse;
let reader: SqlGatewaySession;
let pageViewed: DescMessage;
const jobs: (string | undefined)[] = [];
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
let values: Record<string, string>;

async function send(events: Planned[]): Promise<void> {
  const client = createClient({
    address: ingest.address,
    apiKey: w.apiKey,
    schemas: [w.orderV2, pageViewed],
    versions: { "shop.order_completed": 2, "shop.page_viewed": 1 },
    maxBatchEvents: 25,
  });
  for (const e of events) {
    const props = e.name === "shop.order_completed" ? create(w.orderV2, { orderId: e.id }) : create(pageViewed, { pageType: "product" });
    client.track(e.name, props, { eventId: e.id, eventTime: new Date(e.time), identity: { userId: e.user } });
  }
  await client.close();
}

const hourlyRows = () => batchRows(reader, "SELECT * FROM dws_event_counts_hourly").then(sorted);
const dailyRows = () => batchRows(reader, "SELECT * FROM dws_daily_active_users").then(sorted);

beforeAll(async () => {
  endpoints = await ensureStack();
  w = await ingestWorld();
  const source = await readFile(join(import.meta.dirname, "../../../examples/proto/shop/v1/page_viewed.proto"), "utf8");
  const { schema } = await w.registry.client.registerSchema({ subject: "shop.page_viewed", protoSource: source, fileName: "shop/v1/page_viewed.proto", messageName: "shop.v1.PageViewed", author: "it" });
  pageViewed = loadSchema(schema!.descriptorSet, schema!.messageName).message;
  ingest = await w.startIngest();
  wh = await loadWarehouse();
  values = { ...jobValues(endpoints, w.topics, `warehouse-it-${run}`), checkpoint_interval: "2s" };
  reader = await readerSession(endpoints, wh, values);
});

afterAll(async () => {
  await cancelAll(endpoints.flinkRestUrl, jobs);
  await reader?.close().catch(() => {});
  await w?.stop();
});

describe("the unified warehouse", () => {
  const gateway = () => new SqlGatewayClient({ baseUrl: endpoints.sqlGatewayUrl });

  it("lands every event once in ods_events, duplicates and out-of-order events included", async () => {
    // `dws` streams every DWS table in one job reading ods_events once, as the demo runs it; the BATCH recompute
    // below runs each table's own job, so the two paths are compared too.
    for (const name of ["ods_events", "dws"]) {
      jobs.push((await runJob(await gateway().openSession({ name }), wh, name, "STREAMING", values)).flinkJobId);
    }
    // Later hours first, then earlier ones; then a client retry re-sends every sixth event with the same ids.
    await send(planned.filter((e) => e.time >= at(0, 11, 0)));
    await send(planned.filter((e) => e.time < at(0, 11, 0)));
    await send(planned.filter((_, i) => i % 6 === 0));

    const ods = await pollUntil(() => batchRows(reader, "SELECT COUNT(*), COUNT(DISTINCT event_id) FROM ods_events"), (r) => Number(r[0]?.[0]) >= planned.length, 120_000);
    expect(ods).toEqual([[planned.length, planned.length]]);
    const ids = (await batchRows(reader, "SELECT event_id FROM ods_events")).map((r) => r[0]).sort();
    expect(ids).toEqual(planned.map((e) => e.id).sort());
  });

  let streamed: { hourly: unknown[][]; daily: unknown[][] };

  it("computes the metrics in STREAMING mode, updating an old hour when a late event arrives", async () => {
    const want = expected(planned);
    expect(await pollUntil(hourlyRows, (r) => byJson(r, want.hourly) === 0, 120_000)).toEqual(want.hourly);
    expect(await pollUntil(dailyRows, (r) => byJson(r, want.daily) === 0, 60_000)).toEqual(want.daily);

    await send(late);
    const after = expected([...planned, ...late]);
    const hourly = await pollUntil(hourlyRows, (r) => byJson(r, after.hourly) === 0, 120_000);
    const daily = await pollUntil(dailyRows, (r) => byJson(r, after.daily) === 0, 60_000);
    expect(hourly).toEqual(after.hourly);
    expect(daily).toEqual(after.daily);
    streamed = { hourly, daily };
  });

  it("recomputes the same metrics in BATCH mode with the same SQL, row for row", async () => {
    await cancelAll(endpoints.flinkRestUrl, jobs.slice(1));
    for (const name of ["dws_event_counts_hourly", "dws_daily_active_users"]) {
      const job = await runJob(await gateway().openSession({ name }), wh, name, "BATCH", values);
      await waitFinished(endpoints.flinkRestUrl, job.flinkJobId);
    }
    const batch = { hourly: await hourlyRows(), daily: await dailyRows() };
    expect(batch).toEqual(streamed);
    expect(batch).toEqual(expected([...planned, ...late]));
  });
});
