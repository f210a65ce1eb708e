import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { expectedAnswers, shopStream } from "@trackway/cli";

const run = promisify(execFile);
const root = join(import.meta.dirname, "../..");
const opts = { seed: 11, users: 60, hours: 3, end: Date.parse("2026-11-20T12:00:00Z") };

describe("the README's first command (trackway demo)", () => {
  it("prints back, from the query RPCs, exactly the answers of the events it sent", async () => {
    const { stdout } = await run(
      process.execPath,
      [join(root, "packages/cli/bin/trackway.js"), "demo", "--json", "--seed", String(opts.seed), "--users", String(opts.users), "--hours", String(opts.hours), "--end", new Date(opts.end).toISOString()],
      { cwd: root, maxBuffer: 64 * 1024 * 1024, timeout: 900_000 },
    );
    const printed = JSON.parse(stdout) as { answers: ReturnType<typeof expectedAnswers>; plannedEvents: number; sent: { accepted: number; rejected: unknown[] } };
    const planned = shopStream(opts);
    const want = expectedAnswers(planned);

    expect(printed.plannedEvents).toBe(planned.length);
    // Duplicates are accepted again by ingest (dedup happens in the warehouse), invalid events are rejected.
    expect(printed.sent.accepted).toBe(planned.filter((e) => !e.invalid).length);
    expect(printed.answers.rejected).toEqual(want.rejected);
    expect(printed.answers.hourly).toEqual(want.hourly);
    expect(printed.answers.uniqueUsers).toBe(want.uniqueUsers);
    expect(printed.answers.funnel).toEqual(want.funnel);
  });
});
