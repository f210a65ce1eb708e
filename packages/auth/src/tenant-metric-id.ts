import { createHmac } from "node:crypto";

/**
 * The label a tenant gets in Prometheus metrics by default: `t_` and 12 hex digits of HMAC-SHA256 of the tenant
 * name, keyed with the operator's secret (`TRACKWAY_METRICS_TENANT_SECRET`). Stable, so dashboards and alerts keep
 * their series; opaque, so whoever can scrape `/metrics` does not learn tenant names. Without a secret the key is a
 * fixed string: the id hides names from a reader but someone who guesses a name can confirm it (set the secret then).
 * `trackway keys tenant-ids` maps ids back to tenants.
 */
export function tenantMetricId(tenant: string, secret = ""): string {
  return `t_${createHmac("sha256", secret || "trackway-metrics-tenant").update(tenant, "utf8").digest("hex").slice(0, 12)}`;
}
