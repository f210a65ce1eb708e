import type { DataKey } from "@trackway/envelope";
import type { HeaderPolicy } from "./pii-header.js";
import type { Hasher } from "./pii-properties.js";

/** A tenant's privacy settings as ingest applies them. */
export interface TenantPrivacy {
  /** HMAC-SHA256 with the tenant's secret salt (a sealed token is opened first: a replayed event hashes as the first time). */
  hash: Hasher;
  header: HeaderPolicy;
  /** User ids (as sent) on the tenant's suppression list: their events are rejected with USER_SUPPRESSED. */
  suppressed: ReadonlySet<string>;
  /** Anonymous ids (as sent) on the suppression list. */
  suppressedAnonymous?: ReadonlySet<string>;
  /** Device ids (as sent) on the suppression list. */
  suppressedDevices?: ReadonlySet<string>;
  /** The tenant's data key, which seals the personal data rejected records keep; without it they are kept as received. */
  dataKey?: DataKey;
}

/** Finds a tenant's privacy settings (PostgreSQL behind a cache in the service, a map in tests). */
export interface PrivacyLookup {
  get(tenant: string): Promise<TenantPrivacy>;
}

/** Whether an event with these ids is on the tenant's suppression list. */
export function isSuppressed(p: TenantPrivacy, ids: { userId?: string; anonymousId?: string; deviceId?: string } | undefined): boolean {
  if (!ids) return false;
  return (!!ids.userId && p.suppressed.has(ids.userId)) || (!!ids.anonymousId && !!p.suppressedAnonymous?.has(ids.anonymousId)) || (!!ids.deviceId && !!p.suppressedDevices?.has(ids.deviceId));
}

/** Whether the tenant suppresses anyone. */
export const suppressesAnyone = (p: TenantPrivacy) => p.suppressed.size > 0 || (p.suppressedAnonymous?.size ?? 0) > 0 || (p.suppressedDevices?.size ?? 0) > 0;
