import { randomBytes } from "node:crypto";
import type { Logger } from "@trackway/runtime";
import type { SqlGatewayClient, SqlGatewaySession } from "@trackway/flink";
import type { Warehouse } from "@trackway/warehouse";
import { tenantFilterOf, type PlanPolicy } from "../core/plan-check.js";
import { BASE_TABLES, hiddenTableStatements, tenantViewSql, type PublicTable } from "../core/tenant-views.js";
import { GatewayFailure, gatewayFailure } from "./statement-runner.js";

/** A typed per-event view: its table entry and the SQL creating it over the session's `ods_events` view. */
export interface TypedView {
  table: PublicTable;
  sql: string;
}

/** Where typed per-event views come from (the registry's schemas); optional. */
export interface TypedViewSource {
  /** The typed views `tenant` may query. */
  views(tenant: string): Promise<TypedView[]>;
  /** Changes whenever which views a tenant may query may have changed (a session then rebuilds its views at once). */
  generation?(): number;
}

/** A tenant's SQL Gateway session, ready to query: its views exist and reach only the tenant's rows. */
export interface TenantSession {
  readonly tenant: string;
  readonly session: SqlGatewaySession;
  /** The database holding the real tables; no statement of the tenant may name it. */
  readonly hiddenDb: string;
  /** The views that exist now, by name. */
  tables(): PublicTable[];
  /** What a statement's plan may scan: each hidden table under the tenant filter Flink printed for its view. */
  planPolicy(): PlanPolicy;
}

/** Options of TenantSessions. */
export interface TenantSessionsOptions {
  client: SqlGatewayClient;
  warehouse: Warehouse;
  hudiBasePath: string;
  typedViews?: TypedViewSource;
  logger: Logger;
  /** Close a session unused for this long. */
  idleMs: number;
  /** Heartbeat period (the gateway drops sessions idle for 10 minutes by default). */
  heartbeatMs: number;
}

// A base table whose Hudi directory did not exist yet is retried after this long; typed views are refreshed as often.
const RETRY_MS = 10_000;

class Entry implements TenantSession {
  readonly views = new Map<string, { table: PublicTable; sql: string }>();
  readonly tenantFilters = new Map<string, string>();
  lastUsed = Date.now();
  checkedAt = 0;
  /** The typed-view source's generation the views were built for. */
  typedGeneration = -1;
  refreshing: Promise<void> | undefined;
  constructor(
    readonly tenant: string,
    readonly session: SqlGatewaySession,
    readonly hiddenDb: string,
  ) {}
  tables(): PublicTable[] {
    return [...this.views.values()].map((v) => v.table);
  }
  planPolicy(): PlanPolicy {
    return { hiddenPath: `default_catalog, ${this.hiddenDb}`, tenantFilters: this.tenantFilters };
  }
}

/**
 * One SQL Gateway session per tenant, opened on first use, heartbeated, closed when idle. Each holds the
 * warehouse tables under a random hidden database and, in `default_database`, temporary views named like the
 * tables that select only the tenant's rows: the tenant's statements can name only those views.
 */
export class TenantSessions {
  private readonly entries = new Map<string, Promise<Entry>>();
  // The entry each tenant's promise resolved to, so that a lost session is dropped synchronously.
  private readonly resolved = new Map<string, Entry>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly o: TenantSessionsOptions) {
    this.timer = setInterval(() => void this.tick(), o.heartbeatMs);
    this.timer.unref();
  }

  /**
   * The tenant's session with its views refreshed (missing base tables retried, typed views updated); never while a
   * refresh is under way, so that concurrent statements of one tenant all see the whole set of views.
   */
  async acquire(tenant: string): Promise<TenantSession> {
    let p = this.entries.get(tenant);
    if (!p) {
      p = this.open(tenant);
      this.entries.set(tenant, p);
      p.catch(() => this.entries.get(tenant) === p && this.entries.delete(tenant));
    }
    const entry = await p;
    this.resolved.set(tenant, entry);
    entry.lastUsed = Date.now();
    const generation = this.o.typedViews?.generation?.() ?? -1;
    // A refresh under way means views half-built (a new session's are all missing, a replaced typed view is dropped
    // before it is recreated): wait for it even when nothing looks stale, or a concurrent statement of the tenant
    // is checked against views that are not there (TABLE_NOT_ALLOWED). refresh() marks the entry fresh as it starts.
    if (entry.refreshing || Date.now() - entry.checkedAt > RETRY_MS || generation !== entry.typedGeneration) {
      entry.refreshing ??= this.refresh(entry).finally(() => (entry.refreshing = undefined));
      await entry.refreshing;
    }
    return entry;
  }

  private async open(tenant: string): Promise<Entry> {
    const { client, warehouse, hudiBasePath } = this.o;
    try {
      const session = await client.openSession({
        name: `trackway-tenant-${tenant}`,
        properties: {
          "table.local-time-zone": "UTC",
          // No OPTIONS hints: a query must not point a table at another path (views refuse them too).
          "table.dynamic-table-options.enabled": "false",
          "execution.runtime-mode": "batch",
        },
      });
      const entry = new Entry(tenant, session, `trackway_base_${randomBytes(6).toString("hex")}`);
      for (const statement of hiddenTableStatements(warehouse, entry.hiddenDb, hudiBasePath)) await session.execute(statement);
      this.o.logger.info("tenant session opened", { tenant, session: session.handle, hiddenDb: entry.hiddenDb });
      return entry;
    } catch (e) {
      throw gatewayFailure(e, client.baseUrl);
    }
  }

  private async refresh(entry: Entry): Promise<void> {
    entry.checkedAt = Date.now();
    for (const table of BASE_TABLES) {
      if (entry.views.has(table.name)) continue;
      const sql = tenantViewSql(table.name, entry.hiddenDb, entry.tenant);
      // Fails while the table's Hudi directory does not exist yet (no job wrote it): retried later.
      const ok = await entry.session.execute(sql).then(
        () => true,
        (e: unknown) => {
          const f = gatewayFailure(e, this.o.client.baseUrl);
          if (f instanceof GatewayFailure && f.kind === "session-lost") throw f;
          this.o.logger.debug("warehouse table not readable yet", { table: table.name, err: f.message });
          return false;
        },
      );
      if (!ok) continue;
      // Flink's own reading of the view: the exact filter it puts above the table's scan is what tenant plans must show.
      const plan = await entry.session.execute(`EXPLAIN SELECT * FROM \`${table.name}\``);
      entry.tenantFilters.set(table.name, tenantFilterOf(String(plan.rows[0]?.fields[0] ?? ""), entry.planPolicy().hiddenPath, table.name));
      entry.views.set(table.name, { table, sql });
    }
    if (this.o.typedViews && entry.views.has("ods_events")) await this.refreshTyped(entry, this.o.typedViews);
    else entry.typedGeneration = this.o.typedViews?.generation?.() ?? -1;
  }

  private async refreshTyped(entry: Entry, source: TypedViewSource): Promise<void> {
    let wanted: TypedView[];
    try {
      // Read before asking: a change while the views are built makes the next acquire rebuild them again.
      const generation = source.generation?.() ?? -1;
      wanted = await source.views(entry.tenant);
      entry.typedGeneration = generation;
    } catch (e) {
      // Retried with the base tables (RETRY_MS), not on every acquire.
      entry.typedGeneration = source.generation?.() ?? -1;
      this.o.logger.warn("typed views unavailable", { err: (e as Error).message });
      return;
    }
    const names = new Set(wanted.map((v) => v.table.name));
    for (const [name, v] of entry.views) {
      if (v.table.layer === "dwd" && !names.has(name)) {
        await entry.session.execute(`DROP TEMPORARY VIEW IF EXISTS \`${name}\``).catch(() => undefined);
        entry.views.delete(name);
      }
    }
    for (const v of wanted) {
      const had = entry.views.get(v.table.name);
      if (had?.sql === v.sql) continue;
      try {
        // A new schema version changes the view: replace it.
        if (had) await entry.session.execute(`DROP TEMPORARY VIEW IF EXISTS \`${v.table.name}\``);
        await entry.session.execute(v.sql);
        entry.views.set(v.table.name, v);
      } catch (e) {
        entry.views.delete(v.table.name);
        this.o.logger.warn("typed view not created", { view: v.table.name, err: gatewayFailure(e, this.o.client.baseUrl).message });
      }
    }
  }

  /** Forgets a session the gateway lost, so that the next acquire opens a new one. */
  invalidate(session: TenantSession): void {
    const { tenant } = session;
    const entry = session as Entry;
    if (this.resolved.get(tenant) === entry) {
      this.entries.delete(tenant);
      this.resolved.delete(tenant);
    }
    void entry.session.close().catch(() => undefined);
  }

  private async tick(): Promise<void> {
    for (const [tenant, p] of this.entries) {
      const entry = await p.catch(() => undefined);
      if (!entry) continue;
      if (Date.now() - entry.lastUsed > this.o.idleMs) {
        this.entries.delete(tenant);
        await entry.session.close().catch(() => undefined);
        continue;
      }
      await entry.session.heartbeat().catch(() => this.entries.get(tenant) === p && this.entries.delete(tenant));
    }
  }

  /** Closes every session. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((p) => p.then((e) => e.session.close()).catch(() => undefined)));
  }
}
