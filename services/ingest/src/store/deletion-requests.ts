import { withTransaction, type Pool } from "@trackway/db";
import { shredDataKey } from "./tenant-data-keys.js";

/** Where a deletion request is. */
export type DeletionStatus = "pending" | "running" | "done" | "failed";

/** Whom a deletion request names: a user id and/or anonymous and device ids; rows matching any of them go. */
export interface DeletionSubject {
  /** The user id as sent ("" when the request names only other ids). */
  userId: string;
  anonymousIds?: string[];
  deviceIds?: string[];
}

/** The kinds of id a suppression list holds (column `user_suppressions.kind`). */
export type SuppressedKind = "user_id" | "anonymous_id" | "device_id";

/** A user's deletion request, as `trackway users requests` lists it. */
export interface DeletionRequest {
  id: number;
  tenant: string;
  userId: string;
  /** Anonymous ids named too (sorted). */
  anonymousIds: string[];
  /** Device ids named too (sorted). */
  deviceIds: string[];
  status: DeletionStatus;
  requestedBy: string;
  /** Rows deleted per table. */
  counts: Record<string, number>;
  /** Days (YYYY-MM-DD) whose DWS buckets were recomputed. */
  days: string[];
  /** The last step a running request finished (a restarted worker resumes after it). */
  step: string;
  /** With status `failed`: why (e.g. a Flink statement's error); cleared when a retry starts. */
  error: string;
  createdAt: Date;
  updatedAt: Date;
}

interface Row {
  id: string; tenant: string; user_id: string; anonymous_ids: string[]; device_ids: string[]; status: DeletionStatus; requested_by: string; counts: Record<string, number>;
  days: string[]; step: string; error: string; created_at: Date; updated_at: Date;
}

const COLUMNS = "id, tenant, user_id, anonymous_ids, device_ids, status, requested_by, counts, days, step, error, created_at, updated_at";
const of = (r: Row): DeletionRequest => ({
  id: Number(r.id), tenant: r.tenant, userId: r.user_id, anonymousIds: r.anonymous_ids, deviceIds: r.device_ids, status: r.status, requestedBy: r.requested_by, counts: r.counts,
  days: r.days, step: r.step, error: r.error, createdAt: r.created_at, updatedAt: r.updated_at,
});

/** Deletion requests, their audit trail and the suppression list they feed (migration 0017). */
export class DeletionRequests {
  constructor(private readonly pool: Pool) {}

  /**
   * Records a request, suppresses every id it names and shreds the tenant's data key (so rejected records sealed
   * with it, which may hold the user's data, can no longer be opened), in one transaction. Idempotent: while a
   * request for the same ids is pending, running or failed, that one is returned (`created: false`).
   */
  async request(tenant: string, who: string | DeletionSubject, actor: string): Promise<{ request: DeletionRequest; created: boolean }> {
    const s = subjectOf(who);
    if (!s.userId && s.anonymousIds.length === 0 && s.deviceIds.length === 0) throw new Error("a deletion request needs a user id, an anonymous id or a device id");
    return withTransaction(this.pool, async (c) => {
      const open = await c.query<Row>(
        `SELECT ${COLUMNS} FROM deletion_requests WHERE tenant = $1 AND user_id = $2 AND anonymous_ids = $3 AND device_ids = $4 AND status IN ('pending', 'running', 'failed') FOR UPDATE`,
        [tenant, s.userId, s.anonymousIds, s.deviceIds],
      );
      if (open.rows[0]) return { request: of(open.rows[0]), created: false };
      const { rows } = await c.query<Row>(
        `INSERT INTO deletion_requests (tenant, user_id, anonymous_ids, device_ids, requested_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
        [tenant, s.userId, s.anonymousIds, s.deviceIds, actor],
      );
      const r = rows[0]!;
      const ids: [SuppressedKind, string][] = [...(s.userId ? [["user_id", s.userId] as [SuppressedKind, string]] : []), ...s.anonymousIds.map((a): [SuppressedKind, string] => ["anonymous_id", a]), ...s.deviceIds.map((d): [SuppressedKind, string] => ["device_id", d])];
      for (const [kind, id] of ids) {
        await c.query("INSERT INTO user_suppressions (tenant, kind, user_id, request_id) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant, kind, user_id) DO NOTHING", [tenant, kind, id, r.id]);
      }
      const key = await shredDataKey(c, tenant);
      await c.query("INSERT INTO deletion_request_log (request_id, status, actor, note) VALUES ($1, 'pending', $2, $3)", [r.id, actor, `requested; ${ids.length} id(s) suppressed${key ? `; data key ${key} shredded` : ""}`]);
      return { request: of(r), created: true };
    });
  }

  /** A tenant's requests, newest first (every tenant's when `tenant` is undefined). */
  async list(tenant?: string): Promise<DeletionRequest[]> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM deletion_requests WHERE $1::text IS NULL OR tenant = $1 ORDER BY id DESC`, [tenant ?? null]);
    return rows.map(of);
  }

  async get(id: number): Promise<DeletionRequest | undefined> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM deletion_requests WHERE id = $1`, [id]);
    return rows[0] ? of(rows[0]) : undefined;
  }

  /** Requests a worker should pick up, resume or retry: pending, running and failed ones, oldest first. */
  async open(): Promise<DeletionRequest[]> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM deletion_requests WHERE status IN ('pending', 'running', 'failed') ORDER BY id`);
    return rows.map(of);
  }

  /** Moves a request on (status, step, counts, days, error), with a line in its audit trail. */
  async advance(id: number, change: { status: DeletionStatus; step?: string; counts?: Record<string, number>; days?: string[]; error?: string }, actor: string, note = ""): Promise<void> {
    await withTransaction(this.pool, async (c) => {
      await c.query(
        `UPDATE deletion_requests SET status = $2, step = COALESCE($3, step), counts = COALESCE($4::jsonb, counts), days = COALESCE($5, days),
           error = COALESCE($6, error), updated_at = now() WHERE id = $1`,
        [id, change.status, change.step ?? null, change.counts ? JSON.stringify(change.counts) : null, change.days ?? null, change.error ?? null],
      );
      await c.query("INSERT INTO deletion_request_log (request_id, status, actor, note) VALUES ($1, $2, $3, $4)", [id, change.status, actor, note || change.step || ""]);
    });
  }

  /** A request's audit trail, oldest first. */
  async log(id: number): Promise<{ at: Date; status: string; actor: string; note: string }[]> {
    const { rows } = await this.pool.query<{ at: Date; status: string; actor: string; note: string }>("SELECT at, status, actor, note FROM deletion_request_log WHERE request_id = $1 ORDER BY at, status", [id]);
    return rows;
  }

  /** The tenant's suppressed user ids. */
  async suppressed(tenant: string): Promise<Set<string>> {
    return (await this.suppressedIds(tenant)).userIds;
  }

  /** The tenant's suppressed ids by kind. */
  async suppressedIds(tenant: string): Promise<{ userIds: Set<string>; anonymousIds: Set<string>; deviceIds: Set<string> }> {
    const { rows } = await this.pool.query<{ kind: SuppressedKind; user_id: string }>("SELECT kind, user_id FROM user_suppressions WHERE tenant = $1", [tenant]);
    const of = (k: SuppressedKind) => new Set(rows.filter((r) => r.kind === k).map((r) => r.user_id));
    return { userIds: of("user_id"), anonymousIds: of("anonymous_id"), deviceIds: of("device_id") };
  }
}

/** A subject with ids trimmed, deduplicated and sorted (the request's identity). */
function subjectOf(who: string | DeletionSubject): Required<DeletionSubject> {
  const s = typeof who === "string" ? { userId: who } : who;
  const norm = (xs: string[] | undefined) => [...new Set((xs ?? []).map((x) => x.trim()).filter(Boolean))].sort();
  return { userId: s.userId.trim(), anonymousIds: norm(s.anonymousIds), deviceIds: norm(s.deviceIds) };
}
