import { FlinkRestClient, type SqlGatewaySession } from "@trackway/flink";
import { jobStatements, tableStatements, type Warehouse } from "./warehouse.js";

/** Whose rows to delete: a tenant's user, by every form their ids take in the tables (as sent, and hashed). */
export interface UserToDelete {
  tenant: string;
  /** The id as sent and, when the tenant hashes ids, its HMAC: rows are matched on any of them. */
  userIds: string[];
  /** Anonymous ids, as sent and hashed. */
  anonymousIds?: string[];
  /** Device ids as sent. */
  deviceIds?: string[];
}

/** The steps of a deletion, in order; a request records the last one done and a restarted worker resumes after it. */
export const DELETION_STEPS = ["counted", "ods_events", "ods_rejected", "dws_cleared", "dws_recomputed"] as const;
export type DeletionStep = (typeof DELETION_STEPS)[number];

/** The DWS tables recomputed from `ods_events` (each by its own job of the same name). */
export const DWS_TABLES = ["dws_event_counts_hourly", "dws_daily_active_users", "dws_event_activity_hourly", "dws_event_activity_daily"] as const;

/** What a deletion step records: rows found per table and the event days whose DWS buckets held them. */
export interface DeletionProgress {
  counts: Record<string, number>;
  days: string[];
}

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const inList = (xs: readonly string[]) => xs.map(q).join(", ");

/** The WHERE clauses that find a user's rows in `ods_events` and `ods_rejected` (whose header is protobuf JSON): any id matches. */
export function userPredicates(u: UserToDelete): { events: string; rejected: string } {
  const kinds: [string[], string, string][] = [
    [u.userIds, "user_id", "$.identity.userId"],
    [u.anonymousIds ?? [], "anonymous_id", "$.identity.anonymousId"],
    [u.deviceIds ?? [], "device_id", "$.identity.deviceId"],
  ];
  const named = kinds.filter(([ids]) => ids.length > 0);
  if (named.length === 0) throw new Error("a deletion needs at least one user id, anonymous id or device id");
  const any = (f: (column: string, path: string) => string) => {
    const parts = named.map(([ids, column, path]) => `${f(column, path)} IN (${inList(ids)})`);
    return parts.length === 1 ? parts[0]! : `(${parts.join(" OR ")})`;
  };
  return {
    events: `tenant = ${q(u.tenant)} AND ${any((c) => c)}`,
    rejected: `tenant = ${q(u.tenant)} AND ${any((_, p) => `JSON_VALUE(header, '${p}')`)}`,
  };
}

/** The SQL of each step (pure; the runner executes it). `days` are the event days found by the `counted` step. */
export function deletionSql(u: UserToDelete, days: readonly string[]): { count: string[]; days: string; deleteEvents: string; deleteRejected: string; clearDws: string[] } {
  const p = userPredicates(u);
  return {
    count: [`SELECT COUNT(*) FROM ods_events WHERE ${p.events}`, `SELECT COUNT(*) FROM ods_rejected WHERE ${p.rejected}`],
    days: `SELECT DISTINCT event_date FROM ods_events WHERE ${p.events}`,
    deleteEvents: `DELETE FROM ods_events WHERE ${p.events}`,
    deleteRejected: `DELETE FROM ods_rejected WHERE ${p.rejected}`,
    // The tenant's buckets of those days go first: a bucket only the deleted user filled would otherwise stay.
    clearDws: days.length === 0 ? [] : DWS_TABLES.map((t) => `DELETE FROM ${t} WHERE tenant = ${q(u.tenant)} AND event_date IN (${inList(days)})`),
  };
}

/** What running a deletion needs. */
export interface DeletionContext {
  session: SqlGatewaySession;
  wh: Warehouse;
  /** Warehouse parameters (brokers, topics, Hudi base path). */
  values: Record<string, string>;
  flinkRestUrl: string;
  /** Name prefix of the Flink jobs this deletion submits (e.g. `trackway-deletion-7`), unique per request. */
  jobPrefix: string;
  /** Called after each step, with what it found (persist it: the next run resumes after `step`). */
  done(step: DeletionStep, progress: DeletionProgress): Promise<void>;
}

const BATCH = { executionConfig: { "execution.runtime-mode": "batch", "table.local-time-zone": "UTC" }, timeoutMs: 600_000 };

/**
 * Deletes a user's rows from `ods_events` and `ods_rejected` (Hudi row-level DELETE in BATCH mode: delete
 * records by key), then recomputes the DWS buckets of the days that held them with the DWS jobs' own SQL in
 * BATCH mode. Resumes after `after` (the last step a previous run finished); every step is idempotent.
 */
export async function runDeletion(ctx: DeletionContext, u: UserToDelete, after: DeletionStep | "", progress: DeletionProgress): Promise<DeletionProgress> {
  const flink = new FlinkRestClient({ baseUrl: ctx.flinkRestUrl, pollIntervalMs: 1000 });
  const tableValues = { ...ctx.values, ods_streaming_read: "false", ods_read_start_commit: "earliest" };
  for (const st of tableStatements(ctx.wh, ["ods_events", "ods_rejected", ...DWS_TABLES], tableValues)) await ctx.session.execute(st);
  // A worker killed mid-step may have left its job running: it finishes (or fails) before this run writes the same table.
  for (const j of await flink.jobsNamed(`${ctx.jobPrefix}-`)) {
    if (!["FINISHED", "FAILED", "CANCELED"].includes(j.state)) await flink.waitFinished(j.jid, 600_000).catch(() => {});
  }
  const rows = async (sql: string) => (await ctx.session.execute(sql, BATCH)).rows.map((r) => r.fields);
  let seq = 0;
  const run = async (sql: string) => {
    const r = await ctx.session.execute(sql, { ...BATCH, executionConfig: { ...BATCH.executionConfig, "pipeline.name": `${ctx.jobPrefix}-${(seq += 1)}` } });
    const jobId = r.rows[0]?.fields[0];
    if (typeof jobId === "string") await flink.waitFinished(jobId, 600_000);
  };
  let state = progress;
  const start = after === "" ? 0 : DELETION_STEPS.indexOf(after) + 1;
  for (const step of DELETION_STEPS.slice(start)) {
    const sql = deletionSql(u, state.days);
    if (step === "counted") {
      const [events, rejected] = await Promise.all(sql.count.map(async (c) => Number((await rows(c))[0]?.[0] ?? 0)));
      const days = (await rows(sql.days)).map((r) => String(r[0])).sort();
      state = { counts: { ods_events: events!, ods_rejected: rejected! }, days };
    } else if (step === "ods_events") {
      await run(sql.deleteEvents);
    } else if (step === "ods_rejected") {
      await run(sql.deleteRejected);
    } else if (step === "dws_cleared") {
      for (const c of sql.clearDws) await run(c);
    } else if (state.days.length > 0) {
      const range = { from_date: state.days[0]!, to_date: state.days[state.days.length - 1]! };
      for (const t of DWS_TABLES) {
        for (const st of jobStatements(ctx.wh, t, "BATCH", { ...tableValues, ...range })) {
          // The tables exist already; the view the DWS jobs read is made again with this deletion's days.
          if (/^\s*INSERT\s/i.test(st)) await run(st);
          else if (!/^\s*CREATE\s+(TEMPORARY\s+)?TABLE\s/i.test(st)) await ctx.session.execute(st);
        }
      }
    }
    await ctx.done(step, state);
  }
  return state;
}
