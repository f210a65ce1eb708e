/**
 * A statement that keeps a query job busy for minutes over a tenant with `tenantRows` rows, yet stops within a
 * second when cancelled: a cross join of two grouped k-way self joins (each side ≥ 20,000 rows). The exchange after
 * each GROUP BY hands the final join one input record at a time, and Flink checks for cancellation between records.
 * A plain k-way self join does all its work inside one record's call (the joins are chained): cancelled, it kept
 * running until Flink's cancellation watchdog killed the TaskManager (180 s), and the next test found no TaskManager.
 */
export function slowQuery(tenantRows: number): string {
  let k = 1;
  while (tenantRows ** k < 20_000) k++;
  const names = Array.from({ length: k }, (_, i) => `s${i}`);
  const key = `CONCAT(${[...names.map((n) => `${n}.event_id`), "''"].join(", ")})`;
  const side = `(SELECT ${key} AS k FROM ${names.map((n) => `ods_events ${n}`).join(", ")} GROUP BY ${key})`;
  return `SELECT MAX(CONCAT(x.k, y.k)) FROM ${side} x, ${side} y`;
}
