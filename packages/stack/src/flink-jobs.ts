import { call } from "./sql-gateway/http.js";

/** A job as the Flink REST API lists it. */
export interface FlinkJob {
  id: string;
  status: string;
}

/** Lists the session cluster's jobs (`GET /jobs`). */
export async function listFlinkJobs(flinkRestUrl: string, fetchFn: typeof fetch = fetch): Promise<FlinkJob[]> {
  return (await call<{ jobs: FlinkJob[] }>(fetchFn, `${flinkRestUrl}/jobs`)).jobs;
}

/** Cancels a job (`PATCH /jobs/{id}?mode=cancel`) and waits until Flink reports it CANCELED or otherwise ended. */
export async function cancelFlinkJob(flinkRestUrl: string, jobId: string, options: { timeoutMs?: number; fetch?: typeof fetch } = {}): Promise<string> {
  const fetchFn = options.fetch ?? fetch;
  await call(fetchFn, `${flinkRestUrl}/jobs/${jobId}?mode=cancel`, { method: "PATCH" });
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const { state } = await call<{ state: string }>(fetchFn, `${flinkRestUrl}/jobs/${jobId}`);
    if (["CANCELED", "FINISHED", "FAILED"].includes(state) || Date.now() > deadline) return state;
    await new Promise((r) => setTimeout(r, 250));
  }
}
