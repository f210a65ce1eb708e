import { hostname } from "node:os";
import { SqlGatewayClient } from "@trackway/flink";
import type { Pool } from "@trackway/db";
import { DeletionRequests, hmacHasher, TenantPrivacyStore, type DeletionRequest } from "@trackway/ingest";
import { DELETION_STEPS, loadWarehouse, runDeletion, type DeletionStep } from "@trackway/warehouse";

/** Where the deletion worker finds the warehouse. */
export interface WarehouseEndpoints {
  sqlGatewayUrl: string;
  flinkRestUrl: string;
  /** Warehouse parameters: kafka_brokers, events_topic, hudi_base_path… */
  values: Record<string, string>;
}

const ACTOR = `deletion-worker@${hostname()}`;

/**
 * Works one deletion request to its end: running (audit line), every step left (each recorded as it finishes, so a
 * killed worker resumes after the last one), then done with its counts. A step that fails (a Flink statement's error,
 * an unreachable gateway) marks it `failed` with the cause; the next pass retries it from its last finished step.
 * The user's rows are matched by each id as sent and as the tenant's HMAC (tenants that hash ids store only that).
 */
export async function workRequest(pool: Pool, wh: WarehouseEndpoints, r: DeletionRequest, log: (line: string) => void = () => {}): Promise<DeletionRequest> {
  const requests = new DeletionRequests(pool);
  const { salt } = await new TenantPrivacyStore(pool).settings(r.tenant);
  const hash = hmacHasher(salt);
  const both = (ids: string[]) => ids.flatMap((id) => [id, hash(id)]);
  const user = { tenant: r.tenant, userIds: r.userId ? both([r.userId]) : [], anonymousIds: both(r.anonymousIds), deviceIds: r.deviceIds };
  const after = (DELETION_STEPS as readonly string[]).includes(r.step) ? (r.step as DeletionStep) : "";
  if (r.status === "pending") await requests.advance(r.id, { status: "running" }, ACTOR, "started");
  else if (r.status === "failed") {
    log(`request ${r.id}: retrying after step ${after || "(none)"}`);
    await requests.advance(r.id, { status: "running", error: "" }, ACTOR, `retrying after step ${after || "(none)"}`);
  } else log(`request ${r.id}: resuming after step ${after || "(none)"}`);
  const session = await new SqlGatewayClient({ baseUrl: wh.sqlGatewayUrl }).openSession({ name: `trackway-deletion-${r.id}` });
  try {
    const progress = await runDeletion(
      {
        session,
        wh: await loadWarehouse(),
        values: wh.values,
        flinkRestUrl: wh.flinkRestUrl,
        // Unique across databases sharing one Flink cluster (ids restart at 1 in each).
        jobPrefix: `trackway-deletion-${r.id}-${r.createdAt.getTime()}`,
        done: async (step, p) => {
          log(`request ${r.id}: ${step}`);
          await requests.advance(r.id, { status: "running", step, counts: p.counts, days: p.days }, ACTOR);
        },
      },
      user,
      after,
      { counts: r.counts, days: r.days },
    );
    await requests.advance(r.id, { status: "done", counts: progress.counts, days: progress.days }, ACTOR, `deleted ${JSON.stringify(progress.counts)}; recomputed ${progress.days.join(",") || "no days"}`);
  } catch (e) {
    // Failed, with its cause: visible in `users requests`; the next pass retries after the last finished step.
    const message = (e instanceof Error ? e.message : String(e)).slice(0, 2000);
    log(`request ${r.id}: failed: ${message}`);
    await requests.advance(r.id, { status: "failed", error: message }, ACTOR, `failed: ${message.slice(0, 300)}`);
  } finally {
    await session.close().catch(() => {});
  }
  return (await requests.get(r.id))!;
}

/** Works every open request (pending, running after a restart, failed), oldest first; a failure does not stop the others. */
export async function workOpenRequests(pool: Pool, wh: WarehouseEndpoints, log?: (line: string) => void): Promise<DeletionRequest[]> {
  const out: DeletionRequest[] = [];
  for (const r of await new DeletionRequests(pool).open()) out.push(await workRequest(pool, wh, r, log));
  return out;
}
