/** The parts of Flink's `GET /jobs/:id` answer the gateway reads. */
export interface FlinkJobDetails {
  jid: string;
  name: string;
  state: string;
  "start-time": number;
  "end-time"?: number;
  vertices: { id: string; name: string; status?: string; parallelism?: number; metrics?: { "read-records"?: number; "write-records"?: number } }[];
  plan?: { nodes?: { id: string; inputs?: { id: string }[] }[] };
}

/** Task-level record counters per vertex id (sums over subtasks). */
export type VertexCounts = ReadonlyMap<string, { in: number; out: number }>;

/**
 * Hudi's table services after the writer (compaction plan/task/commit of a MERGE_ON_READ table, the clean commit): they
 * receive compaction plans and commit messages, not records, and only every few checkpoints.
 */
const TABLE_SERVICE = /^(compact_plan_generate|compact_task|clean_commits|Sink: clean_commits|Sink: compact_commit)\b/;

/**
 * Records a job read and wrote: what its source vertices (no inputs) emitted and what its sink vertices (no
 * consumers) received. Task metrics only count records crossing task boundaries, so a job chained into a
 * single task reports 0 for both. Hudi's table-service vertices are left out, so a MERGE_ON_READ write counts the
 * records its writer received, not the compaction commits.
 */
export function recordCounts(details: FlinkJobDetails, counts: VertexCounts): { recordsIn: number; recordsOut: number } {
  const services = new Set(details.vertices.filter((v) => TABLE_SERVICE.test(v.name)).map((v) => v.id));
  const nodes = (details.plan?.nodes ?? details.vertices.map((v) => ({ id: v.id, inputs: [] }))).filter((n) => !services.has(n.id));
  // A finished job has no live task metrics, but its job details keep each vertex's final I/O counts.
  const archived = new Map(details.vertices.map((v) => [v.id, { in: v.metrics?.["read-records"] ?? 0, out: v.metrics?.["write-records"] ?? 0 }]));
  const consumed = new Set(nodes.flatMap((n) => (n.inputs ?? []).map((i) => i.id)));
  let recordsIn = 0;
  let recordsOut = 0;
  for (const n of nodes) {
    const live = counts.get(n.id);
    const old = archived.get(n.id);
    const c = { in: Math.max(live?.in ?? 0, old?.in ?? 0), out: Math.max(live?.out ?? 0, old?.out ?? 0) };
    if ((n.inputs ?? []).length === 0) recordsIn += c.out;
    if (!consumed.has(n.id)) recordsOut += c.in;
  }
  return { recordsIn, recordsOut };
}
