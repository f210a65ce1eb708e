import { toAudit } from "./rows.js";
import type { AuditAction, AuditRecord, Queryable } from "./types.js";

/** Transaction-scoped advisory lock every writer takes before its audit row, so audit ids follow commit order. */
export const AUDIT_LOCK_KEY = 7_215_306_431_055_912;

/** One change to record. */
export interface AuditInput {
  subject?: string;
  version?: number;
  action: AuditAction;
  actor: string;
  before?: unknown;
  after?: unknown;
}

/**
 * Appends audit entries inside the caller's transaction and returns their ids. The lock (held until commit)
 * makes ids increase in commit order, so a watcher that has seen id N has seen everything before it.
 */
export async function appendAudit(tx: Queryable, entries: readonly AuditInput[]): Promise<number[]> {
  if (entries.length === 0) return [];
  await tx.query("SELECT pg_advisory_xact_lock($1)", [AUDIT_LOCK_KEY]);
  const ids: number[] = [];
  for (const e of entries) {
    const { rows } = await tx.query<{ id: string }>(
      "INSERT INTO registry_audit (subject, version, action, actor, before, after) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
      [e.subject ?? "", e.version ?? 0, e.action, e.actor, json(e.before), json(e.after)],
    );
    ids.push(Number(rows[0]!.id));
  }
  return ids;
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/** Audit entries newest first, optionally of one subject and below an id (paging). */
export async function listAudit(db: Queryable, opts: { subject?: string; limit: number; beforeId?: number; tenant?: string }): Promise<AuditRecord[]> {
  // With a tenant: only entries of its own keys (actor `tenant/key-id`) and entries on subjects it owns or holds a grant covering.
  const { rows } = await db.query(
    `SELECT * FROM registry_audit a WHERE ($1 = '' OR subject = $1) AND ($2::bigint = 0 OR id < $2::bigint)
       AND ($4::text IS NULL
         OR left(a.actor, length($4) + 1) = $4 || '/'
         OR (a.subject <> '' AND (
           EXISTS (SELECT 1 FROM registry_subject_owners o WHERE o.subject = a.subject AND o.tenant = $4)
           OR EXISTS (SELECT 1 FROM registry_grants g WHERE g.tenant = $4 AND left(a.subject, length(g.prefix)) = g.prefix))))
     ORDER BY id DESC LIMIT $3`,
    [opts.subject ?? "", opts.beforeId ?? 0, opts.limit, opts.tenant ?? null],
  );
  return rows.map(toAudit);
}

/** Audit entries with an id above `afterId`, oldest first, at most `limit`. */
export async function auditAfter(db: Queryable, afterId: number, limit: number): Promise<AuditRecord[]> {
  const { rows } = await db.query("SELECT * FROM registry_audit WHERE id > $1 ORDER BY id LIMIT $2", [afterId, limit]);
  return rows.map(toAudit);
}

/** The id of the newest audit entry; 0 when there is none. */
export async function auditHead(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ id: string | null }>("SELECT max(id) AS id FROM registry_audit");
  return Number(rows[0]?.id ?? 0);
}
