import type pg from "pg";
import type { Logger } from "@trackway/runtime";
import type { Outcome, TallyCell } from "../core/outcome-tally.js";

/** One per-minute row of `ingest_outcome_counts`. */
export interface OutcomeCountRow {
  minute: Date;
  tenant: string;
  eventName: string;
  schemaVersion: number;
  keyId: string;
  outcome: Outcome;
  events: number;
}

/**
 * Rolls batches' outcome tallies up per minute in memory and adds them to PostgreSQL (`ingest_outcome_counts`,
 * an upsert that adds) every `flushMs`, so the counters cost one statement per interval, not one per batch.
 * Counts that cannot be written are kept for the next flush.
 */
export class OutcomeCounts {
  private pending = new Map<string, OutcomeCountRow>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pool: pg.Pool, private readonly logger: Logger, flushMs = 5000) {
    this.timer = setInterval(() => void this.flush().catch((e: unknown) => logger.warn("outcome counts not written; retrying", { err: String(e) })), flushMs);
    this.timer.unref();
  }

  /** Adds one acknowledged batch's tally. */
  add(tenant: string, keyId: string, atMs: number, cells: readonly TallyCell[]): void {
    const minute = atMs - (atMs % 60_000);
    for (const c of cells) {
      const k = `${minute}\u0000${tenant}\u0000${c.eventName}\u0000${c.schemaVersion}\u0000${keyId}\u0000${c.outcome}`;
      const row = this.pending.get(k);
      if (row) row.events += c.events;
      else this.pending.set(k, { minute: new Date(minute), tenant, eventName: c.eventName, schemaVersion: c.schemaVersion, keyId, outcome: c.outcome, events: c.events });
    }
  }

  /** Writes what is pending in one statement. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const rows = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.pool.query(
        `INSERT INTO ingest_outcome_counts (minute, tenant, event_name, schema_version, key_id, outcome, events)
         SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::bigint[])
         ON CONFLICT (tenant, minute, event_name, schema_version, key_id, outcome)
         DO UPDATE SET events = ingest_outcome_counts.events + EXCLUDED.events`,
        [rows.map((r) => r.minute), rows.map((r) => r.tenant), rows.map((r) => r.eventName), rows.map((r) => r.schemaVersion), rows.map((r) => r.keyId), rows.map((r) => r.outcome), rows.map((r) => r.events)],
      );
    } catch (e) {
      for (const r of rows) this.add(r.tenant, r.keyId, r.minute.getTime(), [r]);
      throw e;
    }
  }

  /** Stops the timer and writes what is pending. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch((e: unknown) => this.logger.warn("outcome counts lost at shutdown", { err: String(e) }));
  }
}

/** A tenant's per-minute counts in [from, to), optionally of one event name, oldest first. */
export async function readOutcomeCounts(pool: pg.Pool, tenant: string, from: Date, to: Date, eventName?: string): Promise<OutcomeCountRow[]> {
  const { rows } = await pool.query(
    `SELECT minute, tenant, event_name, schema_version, key_id, outcome, events FROM ingest_outcome_counts
      WHERE tenant = $1 AND minute >= $2 AND minute < $3 AND ($4::text IS NULL OR event_name = $4)
      ORDER BY minute, event_name, schema_version, key_id, outcome LIMIT 100000`,
    [tenant, from, to, eventName ?? null],
  );
  return (rows as Record<string, unknown>[]).map((r) => ({
    minute: r.minute as Date,
    tenant: r.tenant as string,
    eventName: r.event_name as string,
    schemaVersion: r.schema_version as number,
    keyId: r.key_id as string,
    outcome: r.outcome as Outcome,
    events: Number(r.events),
  }));
}
