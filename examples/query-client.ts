// An internal tool querying the warehouse through the compute gateway with the generated gRPC client.
// Run: TRACKWAY_API_KEY=twk_… npx tsx examples/query-client.ts [host:port]
// (a key from `trackway keys create --tenant <tenant>`; the gateway answers with that tenant's rows only)
import { credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import {
  ComputeServiceClient,
  CountEventsRequest,
  FunnelRequest,
  Granularity,
  QueryRequest,
  type CountEventsResponse,
  type FunnelResponse,
  type QueryResponse,
  type Value,
} from "@trackway/proto/compute/v1";

const address = process.argv[2] ?? "127.0.0.1:50053";
const client = new ComputeServiceClient(address, credentials.createInsecure());
const auth = new Metadata();
auth.set("x-api-key", process.env.TRACKWAY_API_KEY ?? "");
const lastWeek = { start: new Date(Date.now() - 7 * 86_400_000), end: new Date() };

// 1. SQL: rows stream back as columns, row batches, then a summary. `:since` is bound as a TIMESTAMP literal.
const query = QueryRequest.fromPartial({
  sql: "SELECT event_name, COUNT(*) AS events FROM ods_events WHERE event_time >= :since GROUP BY event_name ORDER BY events DESC",
  parameters: { since: { kind: { $case: "timestampValue", value: lastWeek.start } } },
  maxRows: 100,
  timeout: { seconds: 60, nanos: 0 },
});
const cell = (v: Value) => (v.kind?.$case === "nullValue" ? null : v.kind?.value);
await new Promise<void>((resolve, reject) => {
  const stream = client.query(query, auth);
  stream.on("data", (m: QueryResponse) => {
    if (m.kind?.$case === "columns") console.log(m.kind.value.columns.map((c) => `${c.name} ${c.type}`).join(" | "));
    if (m.kind?.$case === "rows") for (const row of m.kind.value.rows) console.log(row.values.map(cell).join(" | "));
    if (m.kind?.$case === "summary") console.log(`${m.kind.value.rowCount} rows${m.kind.value.truncated ? " (truncated)" : ""}`);
  });
  stream.on("end", resolve);
  // A refused statement or a Flink error arrives as a status with a `trackway-reason` trailer.
  stream.on("error", (e: ServiceError) => reject(new Error(`${e.details} [${String(e.metadata.get("trackway-reason")[0])}]`)));
});

// 2. Structured queries need no SQL: counts per day, and a funnel within one hour.
const counts = await new Promise<CountEventsResponse>((resolve, reject) =>
  client.countEvents(CountEventsRequest.fromPartial({ range: lastWeek, granularity: Granularity.GRANULARITY_DAY }), auth, (e, r) => (e ? reject(e) : resolve(r))),
);
for (const c of counts.counts) console.log(`${c.bucketStart?.toISOString().slice(0, 10)} ${c.eventName}: ${c.count} events, ${c.uniqueUsers} users`);
const steps = ["shop.product_viewed", "shop.product_added", "shop.order_completed"];
const funnel = await new Promise<FunnelResponse>((resolve, reject) =>
  client.funnel(FunnelRequest.fromPartial({ range: lastWeek, steps, window: { seconds: 3600, nanos: 0 } }), auth, (e, r) => (e ? reject(e) : resolve(r))),
);
for (const s of funnel.steps) console.log(`${s.eventName}: ${s.users} users (${(s.conversion * 100).toFixed(1)}%)`);
client.close();
