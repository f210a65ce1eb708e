import type { SeedEvent } from "./harness.js";

const DAY = Date.UTC(2026, 10, 20); // 2026-11-20T00:00:00Z
const at = (hh: number, mm = 0) => DAY + hh * 3_600_000 + mm * 60_000;

/**
 * Tenant A's events: a funnel view → add → buy with known outcomes per user, plus events on the next day and a
 * string with a quote. Tenant B has events of the same names, which A must never see.
 */
export function seedEvents(a: string, b: string): SeedEvent[] {
  const ev = (tenant: string, id: string, user: string, name: string, t: number, extra: Partial<SeedEvent> = {}): SeedEvent => ({
    event_id: `${tenant}-${id}`,
    tenant,
    event_name: name,
    user,
    at: t,
    ...extra,
  });
  return [
    // u1 converts fully within an hour.
    ev(a, "1", "u1", "view", at(10), { properties: { path: "/home", ms: 1200 }, attributes: { plan: "pro" } }),
    ev(a, "2", "u1", "add", at(10, 10), { properties: { sku: "it's-1" } }),
    ev(a, "3", "u1", "buy", at(10, 20)),
    // u2 adds two hours later: outside the window.
    ev(a, "4", "u2", "view", at(10)),
    ev(a, "5", "u2", "add", at(12)),
    // u3 buys 90 minutes after viewing: reaches step 2 only.
    ev(a, "6", "u3", "view", at(10)),
    ev(a, "7", "u3", "add", at(10, 30)),
    ev(a, "8", "u3", "buy", at(11, 30)),
    // u4 added before viewing: the add does not count.
    ev(a, "9", "u4", "add", at(9)),
    ev(a, "10", "u4", "view", at(10)),
    ev(a, "11", "u4", "buy", at(10, 5)),
    // u5 views twice; the first view starts the window.
    ev(a, "12", "u5", "view", at(10)),
    ev(a, "13", "u5", "view", at(10, 30)),
    ev(a, "14", "u5", "add", at(10, 40)),
    ev(a, "15", "u5", "buy", at(10, 50)),
    // u6 only buys.
    ev(a, "16", "u6", "buy", at(13)),
    // The next day, and an event carrying a warning.
    ev(a, "17", "u1", "view", at(24 + 0, 30)),
    ev(a, "18", "u7", "warned", at(24 + 1)),
    // Tenant B: same names, other users.
    ev(b, "1", "b1", "view", at(10)),
    ev(b, "2", "b1", "add", at(10, 5)),
    ev(b, "3", "b2", "view", at(11)),
  ];
}

/** Events of a tenant used for a deliberately slow query (a 5-way cross join of 150 rows). */
export function bulkEvents(tenant: string, n = 150): SeedEvent[] {
  return Array.from({ length: n }, (_, i) => ({ event_id: `${tenant}-${i}`, tenant, event_name: "tick", user: `t${i % 10}`, at: at(8, i % 60) }));
}

/** The day the seed happens on, as a range of two days (the seed spills into the next). */
export const SEED_RANGE = { start: new Date(DAY), end: new Date(DAY + 2 * 86_400_000) };

/** Reference funnel: per user, first step-1 time in range, then each next step strictly after, within window of the first. */
export function referenceFunnel(events: SeedEvent[], steps: string[], range: { start: Date; end: Date }, windowMs: number): number[] {
  const byUser = new Map<string, SeedEvent[]>();
  for (const e of events) byUser.set(e.user, [...(byUser.get(e.user) ?? []), e]);
  const reached = steps.map(() => 0);
  for (const list of byUser.values()) {
    const sorted = [...list].sort((x, y) => x.at - y.at);
    const first = sorted.find((e) => e.event_name === steps[0] && e.at >= range.start.getTime() && e.at < range.end.getTime());
    if (!first) continue;
    reached[0]! += 1;
    let t = first.at;
    for (let k = 1; k < steps.length; k++) {
      const next = sorted.find((e) => e.event_name === steps[k] && e.at > t && e.at <= first.at + windowMs);
      if (!next) break;
      reached[k]! += 1;
      t = next.at;
    }
  }
  return reached;
}

/** Reference counts: events and distinct users per hour bucket and name. */
export function referenceCounts(events: SeedEvent[], bucketMs: number): Map<string, { count: number; users: Set<string> }> {
  const out = new Map<string, { count: number; users: Set<string> }>();
  for (const e of events) {
    const key = `${new Date(Math.floor(e.at / bucketMs) * bucketMs).toISOString()}|${e.event_name}`;
    const cur = out.get(key) ?? { count: 0, users: new Set<string>() };
    cur.count += 1;
    cur.users.add(e.user);
    out.set(key, cur);
  }
  return out;
}
