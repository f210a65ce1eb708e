import { stringLiteral, utcDate } from "../sql-literal.js";

/** Where an answer is read from and how its freshness is measured there. */
export interface Source {
  /** The table (tenant view) the answer reads. */
  table: string;
  /** One-row SQL whose `complete_up_to` column is the latest receive time the table reflects. */
  freshnessSql: string;
}

/**
 * ods_events as a source. Its freshness is the latest receive time from the range's first day on: late events
 * land in old partitions but are received now, and reading only recent partitions keeps this cheap.
 */
export function odsSource(since: Date): Source {
  return { table: "ods_events", freshnessSql: `SELECT MAX(received_at) AS complete_up_to FROM ods_events WHERE event_date >= ${stringLiteral(utcDate(since))}` };
}

/** A DWS table as a source: each row carries the latest receive time of the events it aggregates. */
export function dwsSource(table: string): Source {
  return { table, freshnessSql: `SELECT MAX(last_received_at) AS complete_up_to FROM ${table}` };
}

/**
 * Wraps a query so every row also carries the source's freshness as its last column. The freshness side is
 * the outer one (`LEFT JOIN … ON TRUE`), so an empty answer still comes back as one row of NULLs plus the
 * freshness: drop rows whose query columns are all NULL.
 */
export function withFreshness(querySql: string, sources: readonly Source[]): string {
  const fresh = sources.length === 1
    ? sources[0]!.freshnessSql
    // Several sources: the answer is as fresh as its stalest one.
    : `SELECT MIN(complete_up_to) AS complete_up_to FROM (${sources.map((s) => s.freshnessSql).join("\nUNION ALL\n")})`;
  return `SELECT q.*, f.complete_up_to FROM (${fresh}) AS f LEFT JOIN (\n${querySql}\n) AS q ON TRUE`;
}

/** Splits rows of a `withFreshness` query into the query's rows and the freshness cell. */
export function splitFreshness<T>(rows: readonly T[][]): { rows: T[][]; completeUpTo: T | undefined } {
  const completeUpTo = rows[0]?.at(-1);
  const body = rows.map((r) => r.slice(0, -1)).filter((r) => r.some((c) => c !== null && c !== undefined));
  return { rows: body, completeUpTo: completeUpTo ?? undefined };
}
