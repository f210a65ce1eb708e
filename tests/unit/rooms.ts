import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";

/** One source file or package manifest of a workspace package, with what it imports (package names and relative paths). */
export interface SourceFile {
  /** Repository-relative path, e.g. `services/ingest/src/server.ts`. */
  path: string;
  /** Module specifiers it imports or re-exports (`@trackway/db`, `./x.js`, `../../registry/src/y.js`). */
  imports: string[];
}

/** A broken house rule: which file, what it imports, which rule. */
export interface RoomViolation {
  path: string;
  imports: string;
  rule: "SERVICE_IMPORTS_SERVICE" | "IMPORTS_LOCAL_STACK" | "RUNTIME_IMPORTS_DOMAIN" | "REACHES_INTO_ANOTHER_PACKAGE";
}

/** The workspace's rooms: package folder (`services/ingest`) → package name (`@trackway/ingest`). */
export type Rooms = Map<string, string>;

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["']([^"']+)["']/g;

/** The module specifiers a TypeScript source imports, re-exports or loads dynamically. */
export function importsOf(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((m) => m[1]!);
}

const packageName = (specifier: string) => (specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!);

/** The folder (`services/ingest`) a repository path belongs to, if it is inside a workspace package. */
const roomOf = (rooms: Rooms, path: string) => [...rooms.keys()].find((r) => path === r || path.startsWith(`${r}/`));

/**
 * The rules of ARCHITECTURE.md "Rooms" that imports can break: a service never imports another service;
 * only the CLI and the stack itself import `@trackway/stack` (tests and bench are outside packages/ and services/);
 * `packages/runtime` imports no domain package (generated `@trackway/proto` is allowed in its tests); and no
 * relative import reaches into another package's folder.
 */
export function roomViolations(files: SourceFile[], rooms: Rooms): RoomViolation[] {
  const services = new Map([...rooms].filter(([dir]) => dir.startsWith("services/")).map(([dir, name]) => [name, dir]));
  const out: RoomViolation[] = [];
  for (const f of files) {
    const room = roomOf(rooms, f.path);
    if (!room) continue;
    const own = rooms.get(room)!;
    const isTest = /\.(test|spec)\.ts$/.test(f.path);
    for (const spec of f.imports) {
      if (spec.startsWith(".")) {
        const target = relative(".", resolve(dirname(f.path), spec));
        const targetRoom = roomOf(rooms, target);
        if (targetRoom && targetRoom !== room) out.push({ path: f.path, imports: spec, rule: "REACHES_INTO_ANOTHER_PACKAGE" });
        continue;
      }
      const name = packageName(spec);
      if (name === own || !name.startsWith("@trackway/")) continue;
      if (room.startsWith("services/") && services.has(name)) out.push({ path: f.path, imports: name, rule: "SERVICE_IMPORTS_SERVICE" });
      if (name === "@trackway/stack" && room !== "packages/cli") out.push({ path: f.path, imports: name, rule: "IMPORTS_LOCAL_STACK" });
      if (room === "packages/runtime" && !(isTest && name === "@trackway/proto")) out.push({ path: f.path, imports: name, rule: "RUNTIME_IMPORTS_DOMAIN" });
    }
  }
  return out;
}

/** The workspace packages of the repository at `root` (every `packages/*` and `services/*` folder with a package.json). */
export async function readRooms(root: string): Promise<Rooms> {
  const rooms: Rooms = new Map();
  for (const parent of ["packages", "services"]) {
    for (const e of await readdir(join(root, parent), { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const manifest = await readFile(join(root, parent, e.name, "package.json"), "utf8").catch(() => undefined);
      if (manifest) rooms.set(`${parent}/${e.name}`, (JSON.parse(manifest) as { name: string }).name);
    }
  }
  return rooms;
}

/** Every hand-written `.ts` file of the packages (generated code and node_modules left out) and every package.json's dependencies. */
export async function readSources(root: string, rooms: Rooms): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name !== "node_modules" && e.name !== "gen") await walk(path);
      } else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) {
        out.push({ path, imports: importsOf(await readFile(join(root, path), "utf8")) });
      } else if (e.name === "package.json" && dir.split("/").length === 2) {
        const m = JSON.parse(await readFile(join(root, path), "utf8")) as { dependencies?: object; devDependencies?: object };
        out.push({ path, imports: Object.keys({ ...m.dependencies, ...m.devDependencies }) });
      }
    }
  };
  for (const room of rooms.keys()) await walk(room);
  return out;
}
