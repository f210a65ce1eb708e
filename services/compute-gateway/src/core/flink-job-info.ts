/** The parts of Flink's `GET /jobs/:id` answer the gateway reads. */
export interface FlinkJobDetails {
  jid: string;
  name: string;
  state: string;
  "start-time": number;
  "end-time"?: number;
  vertices: { id: string; name: string; status?: string }[];
  plan?: { nodes?: { id: string; inputs?: { id: string }[] }[] };
}

/** Task-level record counters per vertex id (sums over subtasks). */
export type VertexCounts = ReadonlyMap<string, { in: number; out: number }>;

/**
 * Records a job read and wrote: what its source vertices (no inputs) emitted and what its sink vertices (no
 * consumers) received. Task metrics only count records crossing task boundaries, so a job chained into a
 * single task reports 0 for both.
 */
export function recordCounts(details: FlinkJobDetails, counts: VertexCounts): { recordsIn: number; recordsOut: number } {
  const nodes = details.plan?.nodes ?? details.vertices.map((v) => ({ id: v.id, inputs: [] }));
  const consumed = new Set(nodes.flatMap((n) => (n.inputs ?? []).map((i) => i.id)));
  let recordsIn = 0;
  let recordsOut = 0;
  for (const n of nodes) {
    const c = counts.get(n.id);
    if (!c) continue;
    if ((n.inputs ?? []).length === 0) recordsIn += c.out;
    if (!consumed.has(n.id)) recordsOut += c.in;
  }
  return { recordsIn, recordsOut };
}
