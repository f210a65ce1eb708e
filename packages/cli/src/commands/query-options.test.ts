import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { registerQuery } from "./query.js";

/** The options a subcommand of `trackway query` receives for a command line, with its action replaced. */
async function optionsOf(path: string[], args: string[]): Promise<Record<string, unknown>> {
  const program = new Command("trackway").exitOverride();
  registerQuery(program);
  let cmd = program;
  for (const name of path) cmd = cmd.commands.find((c) => c.name() === name)!;
  let seen: Record<string, unknown> = {};
  cmd.action((...a: unknown[]) => {
    seen = (a.at(-1) as Command).opts();
  });
  await program.parseAsync(["node", "trackway", ...path, ...args]);
  return seen;
}

describe("trackway query's options", () => {
  it("reach the subcommand they are written after (they went to `query` and were ignored)", async () => {
    const o = await optionsOf(["query", "counts"], ["--json", "--address", "gw:1", "--api-key", "twk_x", "--from", "2026-11-01"]);
    expect(o).toMatchObject({ json: true, address: "gw:1", apiKey: "twk_x", from: "2026-11-01" });
    expect(await optionsOf(["query", "funnel"], ["--steps", "a,b", "--api-key", "twk_y"])).toMatchObject({ apiKey: "twk_y" });
  });

  it("still reach `query` itself for a statement", async () => {
    expect(await optionsOf(["query"], ["SELECT 1", "--json", "--api-key", "twk_z"])).toMatchObject({ json: true, apiKey: "twk_z" });
  });
});
