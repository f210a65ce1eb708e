import type { PlannedEvent } from "./shop-stream.js";

/** The demo's answers, computed from the planned events alone (what the platform must print back). */
export interface DemoAnswers {
  /** Distinct accepted events per UTC hour and event name, with distinct users; ordered by hour, then name. */
  hourly: { hour: string; eventName: string; events: number; users: number }[];
  /** Distinct users with at least one accepted event. */
  uniqueUsers: number;
  /** Users per funnel step, in step order. */
  funnel: { step: string; users: number }[];
  /** Rejected events by reason. */
  rejected: Record<string, number>;
}

/** The ordered funnel of the demo: the shop's five steps. */
export const FUNNEL_STEPS = ["shop.page_viewed", "shop.product_viewed", "shop.product_added", "shop.checkout_started", "shop.order_completed"];

const hourOf = (t: number) => new Date(Math.floor(t / 3_600_000) * 3_600_000).toISOString();

/**
 * Per user: t1 = the first step-1 event; step k+1 is the first event of that name strictly after step k and at
 * most `windowMs` after t1 — the compute gateway's documented funnel rule.
 */
function funnel(events: PlannedEvent[], steps: string[], windowMs: number): number[] {
  const byUser = new Map<string, PlannedEvent[]>();
  for (const e of events) byUser.set(e.user, [...(byUser.get(e.user) ?? []), e]);
  const reached = steps.map(() => 0);
  for (const list of byUser.values()) {
    const firsts = list.filter((e) => e.name === steps[0]).map((e) => e.time);
    if (firsts.length === 0) continue;
    const t1 = Math.min(...firsts);
    let tk = t1;
    reached[0]!++;
    for (let k = 1; k < steps.length; k++) {
      const next = list.filter((e) => e.name === steps[k] && e.time > tk && e.time <= t1 + windowMs).map((e) => e.time);
      if (next.length === 0) break;
      tk = Math.min(...next);
      reached[k]!++;
    }
  }
  return reached;
}

/** What the platform should answer for a planned stream: invalid events rejected, duplicates counted once. */
export function expectedAnswers(planned: PlannedEvent[], windowMs = 3_600_000): DemoAnswers {
  const accepted = [...new Map(planned.filter((e) => !e.invalid).map((e) => [e.id, e])).values()];
  const hourly = new Map<string, { hour: string; eventName: string; ids: Set<string>; users: Set<string> }>();
  for (const e of accepted) {
    const hour = hourOf(e.time);
    const k = `${hour}|${e.name}`;
    const h = hourly.get(k) ?? { hour, eventName: e.name, ids: new Set<string>(), users: new Set<string>() };
    h.ids.add(e.id);
    h.users.add(e.user);
    hourly.set(k, h);
  }
  const rejected: Record<string, number> = {};
  for (const e of planned) if (e.invalid) rejected[e.invalid] = (rejected[e.invalid] ?? 0) + 1;
  return {
    hourly: [...hourly.values()]
      .sort((a, b) => a.hour.localeCompare(b.hour) || a.eventName.localeCompare(b.eventName))
      .map((h) => ({ hour: h.hour, eventName: h.eventName, events: h.ids.size, users: h.users.size })),
    uniqueUsers: new Set(accepted.map((e) => e.user)).size,
    funnel: funnel(accepted, FUNNEL_STEPS, windowMs).map((users, i) => ({ step: FUNNEL_STEPS[i]!, users })),
    rejected,
  };
}
