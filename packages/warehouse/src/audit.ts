import type { SqlGatewaySession } from "@trackway/flink";
import { tableStatements, type Warehouse } from "./warehouse.js";

/** Which acknowledged events to reconcile: one tenant's, received in `[from, to)`. */
export interface AuditRange {
  tenant: string;
  from: Date;
  to: Date;
}

/** What the audit found: events acknowledged (on the topic) against rows in `ods_events`. */
export interface AuditReport {
  tenant: string;
  from: string;
  to: string;
  /** Distinct events of the tenant ingest acknowledged in the range (every acknowledged event is on the topic). */
  acknowledged: number;
  /** How many of them `ods_events` holds. */
  stored: number;
  /** Rows of `ods_events` beyond one per event id (0 when every event is stored exactly once). */
  duplicates: number;
  /** The acknowledged events `ods_events` lacks (at most `limit`), oldest first. */
  missing: { eventId: string; receivedAt: string }[];
}

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * The audit's two BATCH queries. Acknowledged events are read from `trackway.events.v1` (a batch is acknowledged
 * only after Kafka acknowledged its records, so the topic holds exactly the acknowledged events, up to its
 * retention); rows are matched on `(tenant, event_id)`, the warehouse's key.
 */
export function auditQueries(range: AuditRange, limit: number): { counts: string; missing: string } {
  const acked =
    `SELECT event_id, MIN(received_at) AS received_at FROM kafka_events WHERE tenant = ${q(range.tenant)} ` +
    `AND received_at >= ${range.from.getTime()} AND received_at < ${range.to.getTime()} GROUP BY event_id`;
  const stored = `SELECT event_id, COUNT(*) AS n FROM ods_events WHERE tenant = ${q(range.tenant)} GROUP BY event_id`;
  const joined = `(${acked}) a LEFT JOIN (${stored}) s ON a.event_id = s.event_id`;
  return {
    counts: `SELECT COUNT(*), COUNT(s.event_id), COALESCE(SUM(s.n - 1), 0) FROM ${joined}`,
    missing: `SELECT a.event_id, a.received_at FROM ${joined} WHERE s.event_id IS NULL ORDER BY a.received_at, a.event_id LIMIT ${Math.max(1, Math.floor(limit))}`,
  };
}

/**
 * Reconciles one tenant's acknowledged events in a time range against `ods_events`, in BATCH mode through a
 * SQL Gateway session. `values` are the warehouse parameters (brokers, topic, Hudi base path).
 */
export async function runAudit(session: SqlGatewaySession, wh: Warehouse, values: Record<string, string>, range: AuditRange, limit = 100): Promise<AuditReport> {
  if (!(range.from.getTime() < range.to.getTime())) throw new Error("audit: --from must be before --to");
  const tableValues = {
    ...values,
    kafka_group_id: values.kafka_group_id ?? `trackway-audit-${Date.now().toString(36)}`,
    kafka_startup_mode: "earliest-offset",
    kafka_bounded_mode: "latest-offset",
    ods_streaming_read: "false",
    ods_read_start_commit: "earliest",
  };
  for (const st of tableStatements(wh, ["kafka_events", "ods_events"], tableValues)) await session.execute(st);
  const batch = { executionConfig: { "execution.runtime-mode": "batch", "table.local-time-zone": "UTC" }, timeoutMs: 600_000 };
  const { counts, missing } = auditQueries(range, limit);
  const [c] = (await session.execute(counts, batch)).rows.map((r) => r.fields.map(Number));
  const [acknowledged = 0, stored = 0, duplicates = 0] = c ?? [];
  const missed = acknowledged > stored ? (await session.execute(missing, batch)).rows : [];
  return {
    tenant: range.tenant,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    acknowledged,
    stored,
    duplicates,
    missing: missed.map((r) => ({ eventId: String(r.fields[0]), receivedAt: new Date(Number(r.fields[1])).toISOString() })),
  };
}
