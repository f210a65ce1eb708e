import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");

/** Hand-written TypeScript files under `dir` (tests included: a service's own tests ship with it). */
async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() && e.name !== "node_modules" && e.name !== "gen") out.push(...(await sources(p)));
    else if (e.isFile() && e.name.endsWith(".ts")) out.push(p);
  }
  return out;
}

/** Files under services/* and packages/* (but the CLI and the stack itself) that import `@trackway/stack`. */
async function stackImporters(): Promise<string[]> {
  const dirs = [
    ...(await readdir(join(root, "services"))).map((d) => join(root, "services", d)),
    ...(await readdir(join(root, "packages"))).filter((d) => d !== "cli" && d !== "stack").map((d) => join(root, "packages", d)),
  ];
  const bad: string[] = [];
  for (const dir of dirs) {
    for (const file of await sources(dir).catch(() => [])) {
      if (/from\s+["']@trackway\/stack["']|import\(\s*["']@trackway\/stack["']/.test(await readFile(file, "utf8"))) bad.push(relative(root, file));
    }
  }
  return bad;
}

describe("the local stack's room", () => {
  it("is imported by no service and no package but the CLI (tests and bench may)", async () => {
    expect(await stackImporters()).toEqual([]);
  });

  it("is declared as a dependency by no service and no package but the CLI", async () => {
    const manifests = [
      ...(await readdir(join(root, "services"))).map((d) => join(root, "services", d, "package.json")),
      ...(await readdir(join(root, "packages"))).filter((d) => d !== "cli" && d !== "stack").map((d) => join(root, "packages", d, "package.json")),
    ];
    const bad: string[] = [];
    for (const m of manifests) {
      const pkg = JSON.parse(await readFile(m, "utf8").catch(() => "{}")) as { dependencies?: Record<string, string> };
      if (pkg.dependencies?.["@trackway/stack"]) bad.push(relative(root, m));
    }
    expect(bad).toEqual([]);
  });
});
