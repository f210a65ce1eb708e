import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadStackConfig } from "./config.js";
import type { Part, StackContext } from "./part.js";
import { stackPaths } from "./paths.js";
import { isAlive, readPid, spawnDetached, stopProcess } from "./process.js";
import { up } from "./up.js";

let dir: string | undefined;
afterEach(async () => {
  if (!dir) return;
  const record = await readPid(path.join(dir, "run"), "fake");
  if (record && isAlive(record)) await stopProcess(record, "SIGKILL", 1000);
  await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A part whose process is `sleep`; healthy only once `up` itself has started it. */
function fakePart(starts: { n: number }): Part {
  const spawnSleep = (ctx: StackContext, seconds: number) =>
    spawnDetached(ctx.paths.run, { name: "fake", command: "sh", args: ["-c", `sleep ${seconds}`, `fake-part-${ctx.paths.root}`], outFile: path.join(ctx.paths.logs, "fake.out"), marker: `fake-part-${ctx.paths.root}` });
  return {
    name: "fake",
    label: "Fake part",
    external: () => false,
    ports: () => [],
    logFiles: (ctx) => [path.join(ctx.paths.logs, "fake.out")],
    start: async (ctx) => {
      starts.n++;
      return spawnSleep(ctx, 60);
    },
    probe: () => async () => {
      if (starts.n === 0) throw new Error("not registered");
    },
  };
}

describe("up", () => {
  it("restarts a part it found alive but unhealthy once that process exits (a TaskManager being terminated)", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "trackway-up-"));
    const config = loadStackConfig({ TRACKWAY_STATE_DIR: dir, TRACKWAY_STACK_TIMEOUT_S: "30" });
    const starts = { n: 0 };
    const part = fakePart(starts);
    // The old process: alive when `up` looks, unhealthy, gone a second later.
    const ctx: StackContext = { config, paths: stackPaths(dir), java: "java" };
    const old = await spawnDetached(ctx.paths.run, { name: "fake", command: "sh", args: ["-c", "sleep 1", `fake-part-${ctx.paths.root}`], outFile: path.join(ctx.paths.logs, "fake.out"), marker: `fake-part-${ctx.paths.root}` });
    const lines: string[] = [];
    const result = await up({ config, parts: [part], progress: { info: (l) => lines.push(l), step: (_label, run) => run() } });
    expect(starts.n).toBe(1);
    expect(result.alreadyUp).toBe(false);
    const now = await readPid(ctx.paths.run, "fake");
    expect(now?.pid).not.toBe(old.pid);
    expect(isAlive(now)).toBe(true);
    expect(lines.join("\n")).toContain(`Fake part (pid ${old.pid}) died while up waited on it; restarting it`);
  });
});
