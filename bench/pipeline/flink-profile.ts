// Where a running Flink job spends its time, from Flink's REST API: per-vertex busy / back-pressured / idle time and
// input rate, the hottest frames of the busiest vertex's on-CPU flame graph (needs `rest.flamegraph.enabled: true`,
// stack/conf/flink-conf.yaml), and per-subtask checkpoint timings (alignment, sync, async) of the slowest checkpoint.
// Used by bench/pipeline/dws-harness.ts (DWS_PROFILE_S) to find a bottleneck before changing a setting.
import { sleep } from "../../tests/support/index.js";

interface FlameNode { name: string; value: number; children?: FlameNode[] }
type Get = (path: string) => Promise<any>;

/** One vertex's load: averages over its subtasks of Flink's task IO metrics. */
export interface VertexLoad { name: string; busy: number; backPressured: number; idle: number; recordsInPerS: number }

const METRICS = ["busyTimeMsPerSecond", "backPressuredTimeMsPerSecond", "idleTimeMsPerSecond", "numRecordsInPerSecond"];

/** Per-vertex busy/back-pressured/idle ms per second and records in per second, at this moment. */
export async function vertexLoads(get: Get, jobId: string): Promise<(VertexLoad & { id: string })[]> {
  const job = await get(`/jobs/${jobId}`);
  return Promise.all((job.vertices as { id: string; name: string }[]).map(async (v) => {
    const got = (await get(`/jobs/${jobId}/vertices/${v.id}/subtasks/metrics?get=${METRICS.join(",")}`)) as { id: string; avg: number; sum: number }[];
    const m = (k: string) => got.find((x) => x.id === k);
    return {
      id: v.id,
      name: v.name.replace(/\s+/g, " ").slice(0, 70),
      busy: Math.round(m("busyTimeMsPerSecond")?.avg ?? NaN),
      backPressured: Math.round(m("backPressuredTimeMsPerSecond")?.avg ?? NaN),
      idle: Math.round(m("idleTimeMsPerSecond")?.avg ?? NaN),
      recordsInPerS: Math.round(m("numRecordsInPerSecond")?.sum ?? NaN),
    };
  }));
}

/** The frames with the most self (leaf) samples in a vertex's on-CPU flame graph, as shares of all samples. */
export async function hotFrames(get: Get, jobId: string, vertexId: string, top = 12, timeoutMs = 30_000): Promise<{ frame: string; share: number }[]> {
  // The first request starts the sampling; later ones return the finished graph.
  const first = Date.now();
  let graph: { endTimestamp?: number; data?: FlameNode } = {};
  while (Date.now() - first < timeoutMs) {
    graph = await get(`/jobs/${jobId}/vertices/${vertexId}/flamegraph?type=on_cpu`);
    if ((graph.endTimestamp ?? 0) >= first && (graph.data?.value ?? 0) > 0) break;
    await sleep(1000);
  }
  const root = graph.data;
  if (!root || !root.value) return [];
  // Flink caches a vertex's graph (rest.flamegraph.refresh-interval, 1 min): an older one is labelled, not passed off as new.
  const age = Math.round((first - (graph.endTimestamp ?? 0)) / 1000);
  if (age > 0) return [{ frame: `(flame graph sampled ${age} s before this profile: Flink's cached one)`, share: NaN }];
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const walk = (node: FlameNode, onPath: Set<string>) => {
    const n = { ...node, name: node.name.replace(/:\d+$/, "") }; // frames are named class.method:line
    const kids = n.children ?? [];
    const own = n.value - kids.reduce((a, k) => a + k.value, 0);
    if (own > 0) self.set(n.name, (self.get(n.name) ?? 0) + own);
    // Inclusive time counts a frame once per sample, even when it recurses.
    if (!onPath.has(n.name)) inclusive.set(n.name, (inclusive.get(n.name) ?? 0) + n.value);
    const path = new Set(onPath).add(n.name);
    for (const k of kids) walk(k, path);
  };
  walk(root, new Set());
  const rank = (m: Map<string, number>, filter: (f: string) => boolean, kind: string) =>
    [...m].filter(([f]) => filter(f)).sort((a, b) => b[1] - a[1]).slice(0, top).map(([frame, v]) => ({ frame: `${kind} ${frame}`, share: v / root.value }));
  // Self time says which leaf burns the CPU; inclusive time of the state, aggregation and Hudi frames says who calls it.
  return [...rank(self, () => true, "self"), ...rank(inclusive, (f) => INTERESTING.test(f), "incl")];
}

const INTERESTING = /Ttl|CopyOnWrite|RocksDB|rocksdb|GroupAgg|AggFunction|Hoodie|hudi|Snapshot|Serializer\.(copy|serialize)|processElement|finishBundle/;

/** Per vertex, the slowest completed checkpoint's worst subtask: start delay, alignment, sync and async ms. */
export async function slowestCheckpoint(get: Get, jobId: string): Promise<{ id: number; endToEndMs: number; vertices: string[] } | undefined> {
  const ck = await get(`/jobs/${jobId}/checkpoints`);
  const done = ((ck.history ?? []) as { id: number; status: string; end_to_end_duration: number }[]).filter((c) => c.status === "COMPLETED");
  const worst = done.sort((a, b) => b.end_to_end_duration - a.end_to_end_duration)[0];
  if (!worst) return undefined;
  const details = await get(`/jobs/${jobId}/checkpoints/details/${worst.id}`);
  const vertices: string[] = [];
  for (const vid of Object.keys(details.tasks ?? {})) {
    const sub = await get(`/jobs/${jobId}/checkpoints/details/${worst.id}/subtasks/${vid}`);
    const s = ((sub.subtasks ?? []) as any[]).filter((x) => x.status === "completed");
    const max = (f: (x: any) => number) => Math.max(0, ...s.map(f));
    vertices.push(`${vid.slice(0, 6)}: delay ${max((x) => x.start_delay)} ms, alignment ${max((x) => x.alignment?.duration ?? 0)} ms, sync ${max((x) => x.checkpoint?.sync ?? 0)} ms, async ${max((x) => x.checkpoint?.async ?? 0)} ms, state ${max((x) => x.state_size)} B`);
  }
  return { id: worst.id, endToEndMs: worst.end_to_end_duration, vertices };
}

/** A readable profile of a running job: vertex loads, then the busiest vertex's hottest frames. */
export async function profileJob(get: Get, jobId: string): Promise<string[]> {
  const loads = await vertexLoads(get, jobId);
  const lines = loads.map((l) => `  ${l.id.slice(0, 6)} ${l.name}: busy ${l.busy}, back-pressured ${l.backPressured}, idle ${l.idle} ms/s; in ${l.recordsInPerS}/s`);
  const busiest = [...loads].sort((a, b) => (b.busy || 0) - (a.busy || 0))[0];
  if (busiest) {
    lines.push(`  hottest frames of ${busiest.id.slice(0, 6)} (self time, on-CPU samples):`);
    for (const f of await hotFrames(get, jobId, busiest.id)) lines.push(`    ${(f.share * 100).toFixed(1)}% ${f.frame}`);
  }
  return lines;
}
