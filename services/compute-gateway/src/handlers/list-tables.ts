import type { ServerUnaryCall } from "@grpc/grpc-js";
import type { ListTablesRequest, ListTablesResponse, Table } from "@trackway/proto/compute/v1";
import { identifier } from "../core/sql-literal.js";
import type { Authenticate } from "./auth.js";
import { toTrackwayError } from "./errors-map.js";
import { collect, type QueryDeps } from "./query-runner.js";

const LAYER_ORDER = { ods: 0, dwd: 1, dws: 2 } as const;

/**
 * ListTables: the views the caller's tenant can query (ods, dws and, when the registry is configured, the typed
 * per-event dwd views), each with its columns as Flink's DESCRIBE reports them.
 */
export const listTables = (deps: QueryDeps & { auth: Authenticate; timeoutMs: number }) =>
  async (_req: ListTablesRequest, call: ServerUnaryCall<ListTablesRequest, ListTablesResponse>): Promise<ListTablesResponse> => {
    const tenant = await deps.auth(call);
    try {
      const session = await deps.sessions.acquire(tenant);
      const tables = session.tables().sort((a, b) => LAYER_ORDER[a.layer] - LAYER_ORDER[b.layer] || a.name.localeCompare(b.name));
      const out: Table[] = [];
      for (const t of tables) {
        // DESCRIBE runs in the gateway (no Flink job): cheap enough to ask every time, and always current.
        const r = await collect(deps, tenant, () => `DESCRIBE ${identifier(t.name)}`, { maxRows: 10_000, timeoutMs: deps.timeoutMs, jobless: true });
        const columns = r.rows.map((row) => ({ name: String(row[0]), type: String(row[1]), nullable: row[2] !== false }));
        out.push({ name: t.name, layer: t.layer, columns, eventName: t.eventName ?? "" });
      }
      return { tables: out };
    } catch (e) {
      throw toTrackwayError(e);
    }
  };
