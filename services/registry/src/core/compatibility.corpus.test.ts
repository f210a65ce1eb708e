import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufBinary, compileProto, parseBufAnnotations, type ProtoSource } from "../compiler/index.js";
import { breakingChanges, WIRE_JSON_RULES } from "./compatibility.js";

// Each pair in tests/fixtures/compat is judged twice: by `buf breaking` (WIRE_JSON) run for real, and by our rules
// over descriptors from compileProto. Verdict and set of rule ids must agree on every pair.
const corpus = join(import.meta.dirname, "../../../../tests/fixtures/compat");
const BUF_YAML = "version: v2\nbreaking:\n  use:\n    - WIRE_JSON\n";
const CONCURRENCY = 4;

interface Side { main: ProtoSource; imports: ProtoSource[] }
interface Outcome { buf: string[]; ours: string[]; bufOut: string }

const cases = (await readdir(corpus, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const outcomes = new Map<string, Outcome | Error>();
let work: string;

/** A fixture side: `before.proto` alone (as `schema.proto`), or a `before/` tree whose `main.proto` is the main file. */
async function side(name: string, which: "before" | "after"): Promise<Side> {
  const single = join(corpus, name, `${which}.proto`);
  if (await exists(single)) return { main: { name: "schema.proto", content: await readFile(single, "utf8") }, imports: [] };
  const root = join(corpus, name, which);
  const files: ProtoSource[] = [];
  for (const path of await walk(root)) files.push({ name: relative(root, path), content: await readFile(path, "utf8") });
  const main = files.find((f) => f.name === "main.proto");
  if (!main) throw new Error(`${name}/${which} has neither ${which}.proto nor ${which}/main.proto`);
  return { main, imports: files.filter((f) => f !== main) };
}

async function judge(name: string): Promise<Outcome> {
  const [before, after] = [await side(name, "before"), await side(name, "after")];
  for (const [which, s] of [["before", before], ["after", after]] as const) {
    for (const f of [s.main, ...s.imports]) {
      const path = join(work, name, which, f.name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, f.content);
    }
    await writeFile(join(work, name, which, "buf.yaml"), BUF_YAML);
  }
  const r = await run(bufBinary(), ["breaking", "after", "--against", "before", "--error-format", "json"], join(work, name));
  if (r.code !== 0 && r.code !== 100) throw new Error(`buf breaking failed on ${name} (exit ${r.code}): ${r.stderr}${r.stdout}`);
  const bufRules = parseBufAnnotations(r.stdout).map((a) => a.type);

  const first = (s: Side) => s.main.content.match(/^message\s+(\w+)/m)?.[1];
  const [prev, next] = await Promise.all([
    compileProto(before.main, before.imports, first(before)),
    compileProto(after.main, after.imports, first(after)),
  ]);
  const ours = breakingChanges(next, prev).map((v) => v.rule);
  return { buf: [...new Set(bufRules)].sort(), ours: [...new Set(ours)].sort(), bufOut: r.stdout };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "trackway-corpus-"));
  const queue = [...cases];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      outcomes.set(name, await judge(name).catch((e: Error) => e));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}, 180_000);
afterAll(() => rm(work, { recursive: true, force: true }));

describe("compatibility rules agree with buf breaking (WIRE_JSON)", () => {
  it("has at least 40 pairs, breaking and compatible ones, covering every WIRE_JSON rule", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const done = [...outcomes.values()].filter((o): o is Outcome => !(o instanceof Error));
    const seen = new Set(done.flatMap((o) => o.buf));
    expect([...WIRE_JSON_RULES].filter((r) => !seen.has(r))).toEqual([]);
    expect(done.filter((o) => o.buf.length === 0).length).toBeGreaterThanOrEqual(10);
  });

  it.each(cases)("%s", (name) => {
    const o = outcomes.get(name);
    if (o instanceof Error) throw o;
    expect(o, "case not judged").toBeDefined();
    expect({ compatible: o!.ours.length === 0, rules: o!.ours }, o!.bufOut).toEqual({ compatible: o!.buf.length === 0, rules: o!.buf });
  });
});

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.name.endsWith(".proto")) out.push(p);
  }
  return out.sort();
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
