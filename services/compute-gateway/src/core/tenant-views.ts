import { tableStatements, type Warehouse } from "@trackway/warehouse";
import { identifier, stringLiteral } from "./sql-literal.js";

/** A warehouse table callers may query, and its layer. */
export interface PublicTable {
  name: string;
  layer: "ods" | "dws" | "dwd";
  /** For a typed per-event view: its event name. */
  eventName?: string;
}

/** The warehouse tables every tenant sees (as views over its own rows). */
export const BASE_TABLES: readonly PublicTable[] = [
  { name: "ods_events", layer: "ods" },
  { name: "dws_event_counts_hourly", layer: "dws" },
  { name: "dws_daily_active_users", layer: "dws" },
  { name: "dws_event_activity_hourly", layer: "dws" },
  { name: "dws_event_activity_daily", layer: "dws" },
];

/**
 * Statements that declare the real Hudi tables in a session under a hidden database, so that no unqualified
 * name reaches them: `CREATE DATABASE`, `USE` it, the tables' DDL (batch reads, no streaming options), then
 * back to `default_database`, where the tenant's views will live.
 */
export function hiddenTableStatements(wh: Warehouse, hiddenDb: string, hudiBasePath: string): string[] {
  const values = { hudi_base_path: hudiBasePath, ods_streaming_read: "false", ods_read_start_commit: "earliest" };
  return [
    `CREATE DATABASE IF NOT EXISTS ${identifier(hiddenDb)}`,
    `USE ${identifier(hiddenDb)}`,
    ...tableStatements(wh, BASE_TABLES.map((t) => t.name), values),
    "USE `default_database`",
  ];
}

/**
 * The view a tenant queries in place of a base table: every column, only the tenant's rows. Named like the
 * table, so that SQL written against the warehouse runs unchanged and can reach nothing else.
 */
export function tenantViewSql(table: string, hiddenDb: string, tenant: string): string {
  return (
    `CREATE TEMPORARY VIEW ${identifier(table)} AS SELECT * FROM ` +
    `${identifier("default_catalog")}.${identifier(hiddenDb)}.${identifier(table)} WHERE tenant = ${stringLiteral(tenant)}`
  );
}
