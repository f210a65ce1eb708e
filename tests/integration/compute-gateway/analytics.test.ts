import { readFile } from "node:fs/promises";
import { status } from "@grpc/grpc-js";
import {
  FilterOperator,
  FunnelRequest,
  Granularity,
  Measure,
  PathDirection,
  PathsRequest,
  RetentionRequest,
  StickinessRequest,
  TrendsRequest,
  type DeepPartial,
} from "@trackway/proto/compute/v1";
import type { RunningService } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRegistry, type TestRegistry } from "../../support/index.js";
import { computeClient, computeWorld, failure, produce, runBatchJob, runOdsBatch, type ComputeWorld, type SeedEvent } from "./harness.js";
import { ADD, analyticsEvents, BUY, DAY0, LATE_RECEIVED, lateEvents, VIEW } from "./analytics-seed.js";
import { dayOf, funnelReference, groupBy, hourOf, pathsReference, percentile, prop, retentionReference, stickinessReference, topValues, weekOf } from "./analytics-reference.js";

let world: ComputeWorld;
let registry: TestRegistry;
let gateway: RunningService;
let a: ReturnType<typeof computeClient>;
let tenantA: string;
let topic: string;
const sent: SeedEvent[] = [];
const WEEK = { start: new Date(DAY0), end: new Date(DAY0 + 7 * 86_400_000) };
const mine = () => sent.filter((e) => e.tenant === tenantA);
const iso = (t: number) => new Date(t).toISOString();
// Analytics requests nest messages (series, filters): fromPartial fills every level.
const trends = (r: DeepPartial<TrendsRequest>) => a.trends(TrendsRequest.fromPartial(r));
const funnel = (r: DeepPartial<FunnelRequest>) => a.funnel(FunnelRequest.fromPartial(r));
const retention = (r: DeepPartial<RetentionRequest>) => a.retention(RetentionRequest.fromPartial(r));
const paths = (r: DeepPartial<PathsRequest>) => a.paths(PathsRequest.fromPartial(r));
const stickiness = (r: DeepPartial<StickinessRequest>) => a.stickiness(StickinessRequest.fromPartial(r));

/** The DWS jobs in BATCH mode: the same SQL the streaming runs use, computed once over ods_events. */
const buildWarehouse = async () => {
  await runOdsBatch(world, topic);
  await Promise.all(["dws_event_activity_hourly", "dws_event_activity_daily"].map((j) => runBatchJob(world, j)));
};

beforeAll(async () => {
  world = await computeWorld();
  registry = await startTestRegistry();
  const source = await readFile(new URL("../../../examples/proto/shop/v1/page_viewed.proto", import.meta.url), "utf8");
  await registry.client.registerSchema({ subject: VIEW, protoSource: source, messageName: "shop.v1.PageViewed", author: "analytics-it" });
  tenantA = `analytics-${world.run}`;
  topic = `trackway.compute-it-analytics.${world.run}`;
  sent.push(...analyticsEvents(tenantA, `rival-${world.run}`));
  await produce(world.endpoints.kafkaBrokers, topic, sent);
  await buildWarehouse();
  gateway = await world.startGateway({ TRACKWAY_REGISTRY_ADDRESS: registry.registry.address, TRACKWAY_REGISTRY_API_KEY: registry.admin.key });
  a = computeClient(gateway.address, await world.key(tenantA));
}, 600_000);

afterAll(async () => {
  a?.close();
  await gateway?.stop(500);
  await registry?.stop();
  await world?.stop();
});

const maxReceived = () => Math.max(...mine().map((e) => e.receivedAt ?? e.at + 100));

describe("Trends", () => {
  it("counts events per day and users per hour from the DWS tables, as computed from the events sent", async () => {
    const r = await trends({
      range: WEEK,
      granularity: Granularity.GRANULARITY_DAY,
      series: [{ eventName: VIEW, measure: Measure.MEASURE_TOTAL }, { eventName: BUY, measure: Measure.MEASURE_UNIQUE_USERS }],
    });
    expect(r.freshness?.source).toBe("dws_event_activity_daily");
    expect(r.freshness?.completeUpTo?.getTime()).toBe(maxReceived());
    const got = r.points.map((p) => `${p.series}|${p.bucketStart!.toISOString()}=${p.value}`).sort();
    const views = [...groupBy(mine().filter((e) => e.event_name === VIEW), (e) => iso(dayOf(e.at)))].map(([d, es]) => `0|${d}=${es.length}`);
    const buyers = [...groupBy(mine().filter((e) => e.event_name === BUY), (e) => iso(dayOf(e.at)))].map(([d, es]) => `1|${d}=${new Set(es.map((e) => e.user)).size}`);
    expect(got).toEqual([...views, ...buyers].sort());

    const hourly = await trends({ range: WEEK, granularity: Granularity.GRANULARITY_HOUR, series: [{ eventName: ADD, measure: Measure.MEASURE_UNIQUE_USERS }] });
    expect(hourly.freshness?.source).toBe("dws_event_activity_hourly");
    const adds = groupBy(mine().filter((e) => e.event_name === ADD), (e) => iso(hourOf(e.at)));
    expect(hourly.points.map((p) => `${p.bucketStart!.toISOString()}=${p.value}`).sort()).toEqual([...adds].map(([h, es]) => `${h}=${new Set(es.map((e) => e.user)).size}`).sort());
  });

  it("breaks down by a typed property with the top N and $other, and measures a percentile per week", async () => {
    const r = await trends({
      range: WEEK,
      granularity: Granularity.GRANULARITY_WEEK,
      series: [{ eventName: VIEW, measure: Measure.MEASURE_TOTAL }, { eventName: VIEW, measure: Measure.MEASURE_PERCENTILE, property: "load_time_ms", percentile: 50 }],
      breakdown: { kind: { $case: "property", value: "page_type" } },
      breakdownLimit: 2,
    });
    expect(r.freshness?.source).toBe("ods_events");
    const views = mine().filter((e) => e.event_name === VIEW);
    const bv = topValues(views, (e) => prop(e, "page_type"), 2);
    const expected: string[] = [];
    for (const [value, es] of groupBy(views, bv)) {
      expected.push(`0|${value}|${iso(weekOf(es[0]!.at))}=${es.length}`);
      const ms = es.filter((e) => e.properties?.load_time_ms !== undefined).map((e) => Number(e.properties!.load_time_ms));
      if (ms.length > 0) expected.push(`1|${value}|${iso(weekOf(es[0]!.at))}=${percentile(ms, 50)}`);
    }
    expect(r.points.map((p) => `${p.series}|${p.breakdownValue}|${p.bucketStart!.toISOString()}=${p.value}`).sort()).toEqual(expected.sort());
    expect(r.points.some((p) => p.breakdownValue === "$other")).toBe(true);
    expect(r.points.some((p) => p.breakdownValue === "secret")).toBe(false);
  });

  it("filters on a typed property and breaks down by a header column", async () => {
    const r = await trends({
      range: WEEK,
      granularity: Granularity.GRANULARITY_DAY,
      series: [{ eventName: VIEW, measure: Measure.MEASURE_SUM, property: "load_time_ms" }],
      filters: [{ field: { kind: { $case: "property", value: "load_time_ms" } }, operator: FilterOperator.FILTER_OPERATOR_GREATER, values: [{ kind: { $case: "intValue", value: 300 } }] }],
      breakdown: { kind: { $case: "header", value: "os_name" } },
    });
    const kept = mine().filter((e) => e.event_name === VIEW && Number(e.properties?.load_time_ms ?? 0) > 300);
    const expected = [...groupBy(kept, (e) => `${e.header!.os_name}|${iso(dayOf(e.at))}`)].map(([k, es]) => `${k}=${es.reduce((s, e) => s + Number(e.properties!.load_time_ms), 0)}`);
    expect(r.points.map((p) => `${p.breakdownValue}|${p.bucketStart!.toISOString()}=${p.value}`).sort()).toEqual(expected.sort());
  });

  it("refuses a sum without a property with INVALID_ARGUMENT and ARGUMENT_INVALID", async () => {
    expect(await failure(trends({ range: WEEK, series: [{ eventName: VIEW, measure: Measure.MEASURE_SUM }] }))).toMatchObject({ code: status.INVALID_ARGUMENT, reason: "ARGUMENT_INVALID" });
  });
});

describe("Funnel", () => {
  const steps = [VIEW, ADD, BUY];
  const windowMs = 3_600_000;

  it("breaks down by a header column, with time to convert and the users who dropped", async () => {
    const r = await funnel({ range: WEEK, steps, window: { seconds: 3600, nanos: 0 }, breakdown: { kind: { $case: "header", value: "os_name" } }, droppedAtStep: 2, actorsLimit: 100 });
    const ref = funnelReference(mine(), steps, WEEK, windowMs, (e) => e.header?.os_name ?? "(none)");
    expect(r.steps.map((s) => s.users)).toEqual(steps.map((_s, k) => ref.filter((u) => u.dts.length > k).length));
    for (const b of r.breakdowns) expect(b.steps.map((s) => s.users), b.value).toEqual(steps.map((_s, k) => ref.filter((u) => u.bv === b.value && u.dts.length > k).length));
    expect(r.breakdowns.map((b) => b.value).sort()).toEqual(["Android", "Linux", "iOS"]);
    const dts = ref.filter((u) => u.dts.length > 1).map((u) => u.dts[1]!);
    expect(r.steps[1]!.meanSecondsToConvert).toBeCloseTo(dts.reduce((s, x) => s + x, 0) / dts.length);
    const tenMin = r.steps[1]!.timeToConvert.find((b) => b.fromSeconds === 300)!;
    expect(tenMin.users).toBe(dts.filter((d) => d >= 300 && d < 900).length);
    expect(r.droppedUsers).toEqual([...new Set(ref.filter((u) => u.dts.length === 1).map((u) => u.user))].sort());
    expect(r.freshness?.completeUpTo?.getTime()).toBe(maxReceived());
  });

  it("breaks down by a typed property of the first step (first touch), later steps on the user alone", async () => {
    const r = await funnel({ range: WEEK, steps, window: { seconds: 3600, nanos: 0 }, breakdown: { kind: { $case: "property", value: "page_type" } } });
    const ref = funnelReference(mine(), steps, WEEK, windowMs, (e) => prop(e, "page_type"), true);
    expect(r.breakdowns.map((b) => b.value)).toEqual([...new Set(ref.map((u) => u.bv))].sort());
    expect(r.breakdowns.map((b) => b.value)).toContain("(none)");
    for (const b of r.breakdowns) expect(b.steps.map((s) => s.users), b.value).toEqual(steps.map((_s, k) => ref.filter((u) => u.bv === b.value && u.dts.length > k).length));
    expect(r.steps.map((s) => s.users)).toEqual(steps.map((_s, k) => ref.filter((u) => u.dts.length > k).length));
    expect(r.steps[2]!.users).toBeGreaterThan(0);
  });
});

describe("Retention, Paths, Stickiness", () => {
  it("cohorts by the first cohort event ever: users whose first view is before the range are in no cohort", async () => {
    const range = { start: new Date(DAY0 + 86_400_000), end: WEEK.end };
    const r = await retention({ range, cohortEvent: VIEW, returnEvent: BUY, period: Granularity.GRANULARITY_DAY, periods: 3, cohortFirstEver: true });
    const ref = retentionReference(mine(), range, VIEW, BUY, 3, true);
    expect(r.cohorts.map((c) => [c.cohortStart!.toISOString(), c.users, ...c.returned])).toEqual([...ref].sort((x, y) => x[0] - y[0]).map(([d, row]) => [iso(d), ...row]));
    const size = (m: Map<number, number[]>) => [...m.values()].reduce((n, row) => n + row[0]!, 0);
    expect(size(ref)).toBeGreaterThan(0);
    expect(size(ref)).toBeLessThan(size(retentionReference(mine(), range, VIEW, BUY, 3)));
    expect(r.cohorts.some((c) => c.returned.some((n) => n > 0))).toBe(true);
  });

  it("follows daily cohorts of page viewers returning with an order", async () => {
    const r = await retention({ range: WEEK, cohortEvent: VIEW, returnEvent: BUY, period: Granularity.GRANULARITY_DAY, periods: 3 });
    const ref = retentionReference(mine(), WEEK, VIEW, BUY, 3);
    expect(r.cohorts.map((c) => [c.cohortStart!.toISOString(), c.users, ...c.returned])).toEqual([...ref].sort((x, y) => x[0] - y[0]).map(([d, row]) => [iso(d), ...row]));
    expect(r.cohorts.some((c) => c.returned.some((n) => n > 0))).toBe(true);
  });

  it("counts the next and the previous events step by step", async () => {
    for (const direction of [PathDirection.PATH_DIRECTION_NEXT, PathDirection.PATH_DIRECTION_PREVIOUS]) {
      const next = direction === PathDirection.PATH_DIRECTION_NEXT;
      const start = next ? ADD : BUY;
      const r = await paths({ range: WEEK, startEvent: start, direction, depth: 3, limit: 100 });
      const ref = pathsReference(mine(), WEEK, start, next, 3);
      expect(r.users).toBe(ref.users);
      expect(new Map(r.edges.map((e) => [`${e.step}|${e.fromEvent}|${e.toEvent}`, e.users]))).toEqual(ref.edges);
    }
  });

  it("counts users per number of days with the event", async () => {
    const r = await stickiness({ range: WEEK, eventName: VIEW });
    const ref = stickinessReference(mine(), WEEK, VIEW);
    expect(r.buckets.map((b) => [b.days, b.users])).toEqual([...ref].sort((x, y) => x[0] - y[0]));
  });
});

describe("late events", () => {
  it("land in their own past buckets after the warehouse catches up, and move complete-up-to forward", async () => {
    const late = lateEvents(tenantA);
    sent.push(...late);
    await produce(world.endpoints.kafkaBrokers, topic, late);
    await buildWarehouse();
    const counts = await a.countEvents({ range: WEEK, granularity: Granularity.GRANULARITY_HOUR, eventNames: [VIEW] });
    expect(counts.freshness?.source).toBe("dws_event_activity_hourly");
    expect(counts.freshness?.completeUpTo?.getTime()).toBe(LATE_RECEIVED);
    const byHour = groupBy(mine().filter((e) => e.event_name === VIEW), (e) => iso(hourOf(e.at)));
    expect(counts.counts.map((c) => `${c.bucketStart!.toISOString()}=${c.count}/${c.uniqueUsers}`).sort()).toEqual(
      [...byHour].map(([h, es]) => `${h}=${es.length}/${new Set(es.map((e) => e.user)).size}`).sort(),
    );
    const steps = [VIEW, ADD];
    const byPage = await funnel({ range: WEEK, steps, window: { seconds: 3600, nanos: 0 }, breakdown: { kind: { $case: "property", value: "page_type" } } });
    const ref = funnelReference(mine(), steps, WEEK, 3_600_000, (e) => prop(e, "page_type"), true);
    expect(byPage.breakdowns.map((b) => [b.value, ...b.steps.map((s) => s.users)])).toEqual(
      [...new Set(ref.map((u) => u.bv))].sort().map((v) => [v, ...steps.map((_s, k) => ref.filter((u) => u.bv === v && u.dts.length > k).length)]),
    );
    expect(ref.some((u) => u.user === "u20")).toBe(true);
    const sticky = await stickiness({ range: WEEK, eventName: VIEW });
    expect(sticky.freshness?.completeUpTo?.getTime()).toBe(LATE_RECEIVED);
    expect(sticky.buckets.map((b) => [b.days, b.users])).toEqual([...stickinessReference(mine(), WEEK, VIEW)].sort((x, y) => x[0] - y[0]));
  });
});
