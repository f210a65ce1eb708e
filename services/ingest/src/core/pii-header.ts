import type { EventHeader } from "@trackway/proto/event/v1";
import type { Hasher } from "./pii-properties.js";

/** What ingest does with one header field of a tenant's events before Kafka. */
export type HeaderAction = "KEEP" | "HASH" | "TRUNCATE" | "DROP";

/**
 * A tenant's policy for the header's personal data. `ip` covers the client IP ingest saw and `context.ip`
 * (TRUNCATE zeroes the last octet of IPv4, keeps the first 48 bits of IPv6); `pageUrl` covers page and referrer
 * URLs and `page.search` (TRUNCATE drops the query string and fragment).
 */
export interface HeaderPolicy {
  userId: HeaderAction;
  anonymousId: HeaderAction;
  ip: HeaderAction;
  userAgent: HeaderAction;
  pageUrl: HeaderAction;
}

/** The policy of a tenant that set none: everything kept as sent. */
export const KEEP_ALL: HeaderPolicy = { userId: "KEEP", anonymousId: "KEEP", ip: "KEEP", userAgent: "KEEP", pageUrl: "KEEP" };

/** Whether a policy changes anything. */
export const keepsAll = (p: HeaderPolicy) => Object.values(p).every((a) => a === "KEEP");

/** An IP address with its host part zeroed: IPv4 /24, IPv6 /48; anything else unchanged. */
export function truncateIp(ip: string): string {
  // IPv4, also mapped into IPv6 (`::ffff:10.1.2.3`, as Node reports IPv4 callers of a dual-stack socket).
  const v4 = /^((?:[0-9a-f:]*:)?\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}$/i.exec(ip);
  if (v4) return `${v4[1]}.0`;
  if (ip.includes(":")) {
    const [head = ""] = ip.split("::");
    const groups = head.split(":").filter((g) => g !== "");
    return `${groups.slice(0, 3).join(":")}::`;
  }
  return ip;
}

/** A URL without its query string and fragment. */
export const stripQuery = (url: string) => url.replace(/[?#].*$/s, "");

function act(value: string, action: HeaderAction, hash: Hasher, truncate: (v: string) => string): string {
  if (!value || action === "KEEP") return value;
  if (action === "DROP") return "";
  if (action === "HASH") return hash(value);
  return truncate(value);
}

/** The caller's IP address under the tenant's policy (undefined when dropped). */
export const policyIp = (ip: string | undefined, policy: HeaderPolicy, hash: Hasher): string | undefined =>
  ip === undefined ? undefined : act(ip, policy.ip, hash, truncateIp) || undefined;

/**
 * The header with the tenant's policy applied (a copy; the input is not changed), and the client IP likewise.
 * A user or anonymous id TRUNCATE is treated as HASH (an id has no part that is safe to keep).
 */
export function applyHeaderPolicy(header: EventHeader, clientIp: string | undefined, policy: HeaderPolicy, hash: Hasher): { header: EventHeader; clientIp: string | undefined } {
  const h: EventHeader = { ...header };
  if (h.identity) {
    const id = policy.userId === "TRUNCATE" ? "HASH" : policy.userId;
    const anon = policy.anonymousId === "TRUNCATE" ? "HASH" : policy.anonymousId;
    h.identity = { ...h.identity, userId: act(h.identity.userId, id, hash, (v) => v), anonymousId: act(h.identity.anonymousId, anon, hash, (v) => v) };
  }
  const c = h.context;
  if (c) {
    h.context = {
      ...c,
      ip: act(c.ip, policy.ip, hash, truncateIp),
      userAgent: act(c.userAgent, policy.userAgent, hash, (v) => v.replace(/\(.*?\)/g, "").replace(/\s+/g, " ").trim()),
      page: c.page && { ...c.page, url: act(c.page.url, policy.pageUrl, hash, stripQuery), search: policy.pageUrl === "KEEP" ? c.page.search : "" },
      referrer: c.referrer && { ...c.referrer, url: act(c.referrer.url, policy.pageUrl, hash, stripQuery) },
    };
  }
  return { header: h, clientIp: policyIp(clientIp, policy, hash) };
}
