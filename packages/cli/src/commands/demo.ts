import type { Command } from "commander";
import { consoleUrl, loadStackConfig } from "@trackway/stack";
import { formatAnswers } from "../demo/print-answers.js";
import { runDemo } from "../demo/run-demo.js";
import { note } from "../output.js";
import { cliEnv } from "../env.js";

interface DemoFlags {
  users: string;
  seed: string;
  hours: string;
  end?: string;
  json?: boolean;
  ingest: string;
  registry: string;
  compute: string;
  wait: string;
}

const int = (v: string, flag: string, min: number, max: number): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} must be a whole number from ${min} to ${max}, got "${v}"`);
  return n;
};

/** Adds `trackway demo`: the platform's main job end to end, on the example shop. */
export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description(
      "run the main job end to end: start the platform, register the example shop's contracts, start the warehouse jobs, " +
        "send a realistic stream (with duplicates and invalid events) through the SDK, and print the answers of the query RPCs",
    )
    .option("--users <n>", "shoppers in the stream", "300")
    .option("--seed <n>", "seed of the generated stream (the same seed gives the same events)", "42")
    .option("--hours <n>", "hours the stream spans, ending now (or at --end)", "3")
    .option("--end <iso-time>", "instant the stream ends at (default: now)")
    .option("--json", "print the answers and what was sent as JSON on stdout")
    .option("--ingest <host:port>", "ingest address", cliEnv.TRACKWAY_INGEST_ADDRESS)
    .option("--registry <host:port>", "registry address", cliEnv.TRACKWAY_REGISTRY_ADDRESS)
    .option("--compute <host:port>", "compute gateway address", cliEnv.TRACKWAY_COMPUTE_ADDRESS)
    .option("--wait <seconds>", "how long to wait for the warehouse to hold every accepted event", "240")
    .action(async (f: DemoFlags) => {
      const end = f.end ? Date.parse(f.end) : Date.now();
      if (Number.isNaN(end)) throw new Error(`--end must be an ISO time such as 2026-11-25T12:00:00Z, got "${f.end}"`);
      const r = await runDemo({
        users: int(f.users, "--users", 1, 100_000),
        seed: int(f.seed, "--seed", 0, 2 ** 31),
        hours: int(f.hours, "--hours", 1, 24 * 30),
        end,
        ingest: f.ingest,
        registry: f.registry,
        compute: f.compute,
        waitSeconds: int(f.wait, "--wait", 10, 3600),
      });
      if (f.json) {
        const { planned, ...rest } = r;
        process.stdout.write(`${JSON.stringify({ ...rest, plannedEvents: planned.length }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${formatAnswers(r.answers, r.rejectionExamples)}\n`);
      process.stdout.write(`\nSent ${r.sent.accepted + r.sent.rejected.length} events in ${r.sent.batches} batches (${r.sent.bytes} bytes before gzip) for tenant ${r.tenant}.\n`);
      process.stdout.write(`Took: ${r.timings.map((t) => `${t.step.split(":")[0]} ${t.seconds}s`).join(" · ")}\n`);
      note("");
      note(`Web console: ${consoleUrl(loadStackConfig().host)} (sign in with a key of the demo's tenant: npx trackway keys create --tenant ${r.tenant})`);
      note("");
      note("The platform is still running. Try:");
      note("  npx trackway stack status                 every part, its pid and ports");
      note("  npx trackway keys create --tenant me      a key of your own, then: npx trackway send --help");
      note("  npx trackway query --help                 SQL and structured queries through the compute gateway");
      // jobs needs a key with jobs:admin: the demo's own is not printed (a key is shown once, to whoever issues it).
      note("  npx trackway keys create --tenant ops --scope jobs:admin");
      note("  TRACKWAY_API_KEY=<that key> npx trackway jobs list   the warehouse's Flink jobs (an operator's key)");
      note("  npx trackway stack down                   stop everything (add --purge to delete all state)");
    });
}
