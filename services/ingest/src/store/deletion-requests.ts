import { withTransaction, type Pool } from "@trackway/db";

/** Where a deletion request is. */
export type DeletionStatus = "pending" | "running" | "done" | "failed";

/** A user's deletion request, as `trackway users requests` lists it. */
export interface DeletionRequest {
  id: number;
  tenant: string;
  userId: string;
  status: DeletionStatus;
  requestedBy: string;
  /** Rows deleted per table. */
  counts: Record<string, number>;
  /** Days (YYYY-MM-DD) whose DWS buckets were recomputed. */
  days: string[];
  /** The last step a running request finished (a restarted worker resumes after it). */
  step: string;
  error: string;
  createdAt: Date;
  updatedAt: Date;
}

interface Row {
  id: string; tenant: string; user_id: string; status: DeletionStatus; requested_by: string; counts: Record<string, number>;
  days: string[]; step: string; error: string; created_at: Date; updated_at: Date;
}

const COLUMNS = "id, tenant, user_id, status, requested_by, counts, days, step, error, created_at, updated_at";
const of = (r: Row): DeletionRequest => ({
  id: Number(r.id), tenant: r.tenant, userId: r.user_id, status: r.status, requestedBy: r.requested_by, counts: r.counts,
  days: r.days, step: r.step, error: r.error, createdAt: r.created_at, updatedAt: r.updated_at,
});

/** Deletion requests, their audit trail and the suppression list they feed (migration 0017). */
export class DeletionRequests {
  constructor(private readonly pool: Pool) {}

  /**
   * Records a request and suppresses the user, in one transaction. Idempotent: while the user has a pending or
   * running request, that one is returned (`created: false`).
   */
  async request(tenant: string, userId: string, actor: string): Promise<{ request: DeletionRequest; created: boolean }> {
    return withTransaction(this.pool, async (c) => {
      const open = await c.query<Row>(`SELECT ${COLUMNS} FROM deletion_requests WHERE tenant = $1 AND user_id = $2 AND status IN ('pending', 'running') FOR UPDATE`, [tenant, userId]);
      if (open.rows[0]) return { request: of(open.rows[0]), created: false };
      const { rows } = await c.query<Row>(`INSERT INTO deletion_requests (tenant, user_id, requested_by) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`, [tenant, userId, actor]);
      const r = rows[0]!;
      await c.query("INSERT INTO user_suppressions (tenant, user_id, request_id) VALUES ($1, $2, $3) ON CONFLICT (tenant, user_id) DO NOTHING", [tenant, userId, r.id]);
      await c.query("INSERT INTO deletion_request_log (request_id, status, actor, note) VALUES ($1, 'pending', $2, 'requested; user suppressed')", [r.id, actor]);
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

  /** Requests a worker should pick up or resume: pending and running ones, oldest first. */
  async open(): Promise<DeletionRequest[]> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM deletion_requests WHERE status IN ('pending', 'running') ORDER BY id`);
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
    const { rows } = await this.pool.query<{ user_id: string }>("SELECT user_id FROM user_suppressions WHERE tenant = $1", [tenant]);
    return new Set(rows.map((r) => r.user_id));
  }
}
