import { SqlGatewayClient } from "@trackway/flink";
import { loadWarehouse } from "@trackway/warehouse";
import { hiddenTableStatements, tenantViewSql } from "../services/compute-gateway/src/core/tenant-views.ts";
import { stackEndpoints } from "@trackway/stack";
const e = stackEndpoints();
const gw = new SqlGatewayClient({ baseUrl: e.sqlGatewayUrl });
const wh = await loadWarehouse();
const s = await gw.openSession({ properties: { "table.local-time-zone": "UTC", "table.dynamic-table-options.enabled": "false", "execution.runtime-mode": "batch" } });
const hidden = "trackway_base_probe1";
for (const st of hiddenTableStatements(wh, hidden, process.env.HUDI!)) await s.execute(st);
for (const t of ["ods_events", "dws_event_counts_hourly"]) await s.execute(tenantViewSql(t, hidden, "acme"));
for (const q of process.argv.slice(2)) {
  try {
    const r = await s.execute(q);
    console.log("=== " + q + "\n" + r.rows.map((x) => x.fields.join(" | ")).join("\n"));
  } catch (err) { console.log("ERR " + q + "\n" + (err as Error).message); }
}
await s.close();
