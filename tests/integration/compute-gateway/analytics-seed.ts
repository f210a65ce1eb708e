import type { SeedEvent } from "./harness.js";

/** Monday 2026-11-16 00:00 UTC: the seed's first day. */
export const DAY0 = Date.UTC(2026, 10, 16);
const DAY = 86_400_000;
const MIN = 60_000;
/** The typed event (registered as a subject, so it has a dwd view) and the two untyped ones. */
export const VIEW = "shop.page_viewed";
export const ADD = "shop.cart_added";
export const BUY = "shop.order_paid";
const PAGES = ["home", "search", "product", "cart"];
const OS = ["iOS", "Android", "Linux"];
/** When late events arrive: long after their event time. */
export const LATE_RECEIVED = Date.UTC(2026, 10, 29, 6);

/**
 * Tenant A's week: 12 users, each active on some days; a page view (page_type, load_time_ms, none for u5), then
 * on some days an add and a buy. Tenant B has events of the same names that A must never see.
 */
export function analyticsEvents(a: string, b: string): SeedEvent[] {
  const out: SeedEvent[] = [];
  for (let i = 0; i < 12; i++) {
    const user = `u${i}`;
    const header = { os_name: OS[i % 3]! };
    for (let d = 0; d < 7; d++) {
      if ((i + d) % (1 + (i % 3)) !== 0) continue;
      const t = DAY0 + d * DAY + (8 + (i % 5)) * 3_600_000 + i * MIN;
      const properties = i === 5 ? {} : { page_type: PAGES[(i + d) % 4], load_time_ms: 100 + 37 * i + 11 * d };
      out.push({ event_id: `${a}-v-${i}-${d}`, tenant: a, event_name: VIEW, user, at: t, properties, header });
      if ((i + d) % 2 === 0) out.push({ event_id: `${a}-a-${i}-${d}`, tenant: a, event_name: ADD, user, at: t + 10 * MIN * (1 + (i % 3)), header });
      if ((i + d) % 4 === 0) out.push({ event_id: `${a}-b-${i}-${d}`, tenant: a, event_name: BUY, user, at: t + 40 * MIN + i * MIN, header });
    }
  }
  for (let i = 0; i < 4; i++) out.push({ event_id: `${b}-v-${i}`, tenant: b, event_name: VIEW, user: `b${i}`, at: DAY0 + i * DAY + 9 * 3_600_000, properties: { page_type: "secret", load_time_ms: 1 } });
  return out;
}

/** Tenant A's late events: page views of days 1 and 2 received on the 29th. */
export function lateEvents(a: string): SeedEvent[] {
  const late = (id: string, user: string, t: number, page: string): SeedEvent => ({
    event_id: `${a}-late-${id}`, tenant: a, event_name: VIEW, user, at: t, receivedAt: LATE_RECEIVED, properties: { page_type: page, load_time_ms: 5000 }, header: { os_name: "iOS" },
  });
  return [late("1", "u20", DAY0 + DAY + 10 * 3_600_000, "home"), late("2", "u21", DAY0 + 2 * DAY + 11 * 3_600_000, "search"), late("3", "u0", DAY0 + DAY + 7 * 3_600_000, "home")];
}
