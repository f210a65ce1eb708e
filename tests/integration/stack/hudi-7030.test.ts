import { execFile } from "node:child_process";
import { readFile, readlink } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { ensureStack, loadStackConfig, repoRoot } from "@trackway/stack";
import { beforeAll, describe, expect, it } from "vitest";

// Hudi 0.14.0 took a completed commit whose instant ends in 999 ms for an uncommitted one and every reader skipped
// its data blocks: bench/pipeline lost 12,420 acknowledged events, all of instant 20261201171829999 (HUDI-7030).
// stack/flink/pom.xml compiles the upstream one-line fix into lib/flink-patches, first on the Flink classpath. This
// asks the running TaskManager's own classpath (and, to show the check can fail, the same one without the patch)
// the question Hudi's log readers ask before reading a block.
const check = join(repoRoot, "tests/fixtures/java/Hudi7030Check.java");
let java: string;
let classpath: string;

beforeAll(async () => {
  await ensureStack();
  const run = join(loadStackConfig().stateDir, "run");
  const { pid } = JSON.parse(await readFile(join(run, "flink-taskmanager.pid"), "utf8")) as { pid: number };
  const args = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0");
  classpath = args[args.indexOf("-cp") + 1]!;
  java = await readlink(`/proc/${pid}/exe`);
});

const ask = async (cp: string) => (await promisify(execFile)(java, ["-cp", cp, check], { timeout: 120_000 })).stdout.trim().split("\n");

describe("the Hudi on the Flink classpath", () => {
  it("reads the blocks of a completed commit whose instant ends in 999 ms while a later one is inflight", async () => {
    const [answer, from] = await ask(classpath);
    expect(answer).toBe("READ");
    expect(from).toMatch(/\/flink-patches\/hudi-0\.14\.0-hudi-7030\.jar$/);
  });

  it("skipped them without the patch (what the check would catch if the patch were lost)", async () => {
    const unpatched = classpath.split(":").filter((p) => !p.includes("flink-patches")).join(":");
    expect(unpatched).not.toBe(classpath);
    const [answer, from] = await ask(unpatched);
    expect(answer).toBe("SKIPPED");
    expect(from).toMatch(/hudi-flink1\.17-bundle-0\.14\.0\.jar$/);
  });
});
