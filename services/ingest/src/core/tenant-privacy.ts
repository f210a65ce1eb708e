import type { HeaderPolicy } from "./pii-header.js";
import type { Hasher } from "./pii-properties.js";

/** A tenant's privacy settings as ingest applies them. */
export interface TenantPrivacy {
  /** HMAC-SHA256 with the tenant's secret salt. */
  hash: Hasher;
  header: HeaderPolicy;
  /** User ids (as sent) on the tenant's suppression list: their events are rejected with USER_SUPPRESSED. */
  suppressed: ReadonlySet<string>;
}

/** Finds a tenant's privacy settings (PostgreSQL behind a cache in the service, a map in tests). */
export interface PrivacyLookup {
  get(tenant: string): Promise<TenantPrivacy>;
}
