import { describe, expect, it } from "vitest";
import { expectedAnswers, FUNNEL_STEPS } from "./expected.js";
import { shopStream } from "./shop-stream.js";

const opts = { seed: 7, users: 50, end: Date.UTC(2026, 10, 25, 12), hours: 3 };

describe("shopStream", () => {
  it("is deterministic for a seed", () => {
    expect(shopStream(opts)).toEqual(shopStream(opts));
    expect(shopStream({ ...opts, seed: 8 })).not.toEqual(shopStream(opts));
  });

  it("keeps every event inside the window, with duplicates sharing ids and a few invalid events", () => {
    const events = shopStream(opts);
    expect(events.every((e) => e.time >= opts.end - 3 * 3_600_000 && e.time < opts.end)).toBe(true);
    const dups = events.filter((e) => e.duplicate);
    expect(dups.length).toBeGreaterThan(0);
    expect(dups.every((d) => events.some((e) => e.id === d.id && !e.duplicate))).toBe(true);
    expect(events.filter((e) => e.invalid).map((e) => e.invalid)).toEqual(["UNKNOWN_EVENT", "UNKNOWN_EVENT", "UNKNOWN_EVENT", "UNKNOWN_SCHEMA_VERSION", "UNKNOWN_SCHEMA_VERSION", "CONTRACT_VIOLATION"]);
  });
});

describe("expectedAnswers", () => {
  const answers = expectedAnswers(shopStream(opts));

  it("counts each accepted event once, whatever the retries", () => {
    const accepted = new Set(shopStream(opts).filter((e) => !e.invalid).map((e) => e.id));
    expect(answers.hourly.reduce((n, h) => n + h.events, 0)).toBe(accepted.size);
    expect(answers.rejected).toEqual({ UNKNOWN_EVENT: 3, UNKNOWN_SCHEMA_VERSION: 2, CONTRACT_VIOLATION: 1 });
  });

  it("gives a narrowing funnel over the five shop steps", () => {
    expect(answers.funnel.map((s) => s.step)).toEqual(FUNNEL_STEPS);
    const users = answers.funnel.map((s) => s.users);
    expect(users[0]).toBe(answers.uniqueUsers);
    for (let i = 1; i < users.length; i++) expect(users[i]!).toBeLessThanOrEqual(users[i - 1]!);
    expect(users[4]!).toBeGreaterThan(0);
  });
});
