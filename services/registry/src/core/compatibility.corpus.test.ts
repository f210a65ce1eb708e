import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { bufBreaking, compileProto, type ProtoSource } from "../compiler/index.js";
import { breakingChanges, WIRE_JSON_RULES } from "./compatibility.js";

// Each pair in tests/fixtures/compat is judged twice: by `buf breaking` (WIRE_JSON) run for real, and by our rules
// over descriptors from compileProto. Verdict and set of rule ids must agree on every pair.
const corpus = join(import.meta.dirname, "../../../../tests/fixtures/compat");
const CONCURRENCY = 4;

interface Side { main: ProtoSource; imports: ProtoSource[] }
interface Outcome { buf: string[]; ours: string[]; bufOut: string }

const cases = (await readdir(corpus, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const outcomes = new Map<string, Outcome | Error>();

/** A fixture side: `before.proto` alone (as `schema.proto`), or a `before/` tree whose `main.proto` is the main file. */
async function side(name: string, which: "before" | "after"): Promise<Side> {
  const single = join(corpus, name, `${which}.proto`);
  if (await stat(single).then(() => true, () => false)) {
    return { main: { name: "schema.proto", content: await readFile(single, "utf8") }, imports: [] };
  }
  const root = join(corpus, name, which);
  const files: ProtoSource[] = [];
  for (const path of await walk(root)) files.push({ name: relative(root, path), content: await readFile(path, "utf8") });
  const main = files.find((f) => f.name === "main.proto");
  if (!main) throw new Error(`${name}/${which} has neither ${which}.proto nor ${which}/main.proto`);
  return { main, imports: files.filter((f) => f !== main) };
}

async function judge(name: string): Promise<Outcome> {
  const [before, after] = [await side(name, "before"), await side(name, "after")];
  const first = (s: Side) => s.main.content.match(/^message\s+(\w+)/m)?.[1];
  const [annotations, prev, next] = await Promise.all([
    bufBreaking([after.main, ...after.imports], [before.main, ...before.imports]),
    compileProto(before.main, before.imports, first(before)),
    compileProto(after.main, after.imports, first(after)),
  ]);
  const ours = breakingChanges(next, prev).map((v) => v.rule);
  const bufOut = annotations.map((a) => `${a.type}: ${a.message}`).join("\n");
  return { buf: [...new Set(annotations.map((a) => a.type))].sort(), ours: [...new Set(ours)].sort(), bufOut };
}

beforeAll(async () => {
  const queue = [...cases];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      outcomes.set(name, await judge(name).catch((e: Error) => e));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}, 180_000);

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
