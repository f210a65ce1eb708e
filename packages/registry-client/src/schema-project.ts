import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** The file, read in a proto directory, that maps .proto files to registry subjects. */
export const PROJECT_FILE = "trackway.json";

/** One schema of a project: which file, under which subject, with which properties message and governance. */
export interface ProjectSchema {
  subject: string;
  /** Path relative to the proto directory, which is also its import path (e.g. `shop/v1/order.proto`). */
  file: string;
  /** Fully-qualified properties message; optional when the file declares one top-level message. */
  message?: string;
  owners?: string[];
  description?: string;
  /** NONE, BACKWARD, … ; unset follows the registry's default. */
  compatibility?: string;
}

/** A project schema with its source and the imports it declares. */
export interface LoadedProjectSchema extends ProjectSchema {
  source: string;
  imports: string[];
}

/**
 * Reads `trackway.json` (`{"schemas": [{subject, file, message?, owners?, description?, compatibility?}]}`) from
 * a proto directory, or uses the one schema given on the command line, and loads each file's source.
 */
export async function loadSchemaProject(dir: string, single?: ProjectSchema): Promise<LoadedProjectSchema[]> {
  let schemas: ProjectSchema[];
  if (single) {
    schemas = [single];
  } else {
    let text: string;
    try {
      text = await readFile(join(dir, PROJECT_FILE), "utf8");
    } catch {
      throw new Error(`no ${PROJECT_FILE} in ${dir}: create one, or give --subject and --file`);
    }
    const parsed = JSON.parse(text) as { schemas?: ProjectSchema[] };
    if (!Array.isArray(parsed.schemas) || parsed.schemas.some((s) => !s || typeof s.subject !== "string" || typeof s.file !== "string")) {
      throw new Error(`${join(dir, PROJECT_FILE)}: expected {"schemas": [{"subject": "...", "file": "..."}]}`);
    }
    schemas = parsed.schemas;
  }
  return Promise.all(
    schemas.map(async (s) => {
      const source = await readFile(join(dir, s.file), "utf8").catch(() => {
        throw new Error(`${s.subject}: cannot read ${join(dir, s.file)}`);
      });
      return { ...s, source, imports: importsOf(source) };
    }),
  );
}

/** The import paths a .proto source declares (comments skipped). */
export function importsOf(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, "");
  return [...text.matchAll(/^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;/gm)].map((m) => m[1]!);
}

/** Whether an import is one the registry's compiler provides: a well-known type, protovalidate's rules or Trackway's PII options. */
export const isWellKnown = (path: string) =>
  path.startsWith("google/protobuf/") || path === "buf/validate/validate.proto" || path === "trackway/options/v1/pii.proto";

/**
 * The schemas ordered so that every schema comes after the project schemas it imports; throws on an import that
 * is neither a well-known type nor another schema of the project, and on an import cycle.
 */
export function orderByImports(schemas: readonly LoadedProjectSchema[]): LoadedProjectSchema[] {
  const byFile = new Map(schemas.map((s) => [s.file, s]));
  const out: LoadedProjectSchema[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (s: LoadedProjectSchema, chain: string[]) => {
    if (state.get(s.file) === "done") return;
    if (state.get(s.file) === "visiting") throw new Error(`import cycle: ${[...chain, s.file].join(" → ")}`);
    state.set(s.file, "visiting");
    for (const imp of s.imports) {
      if (isWellKnown(imp)) continue;
      const dep = byFile.get(imp);
      if (!dep) throw new Error(`${s.file} imports "${imp}", which is not a schema of the project: add it to ${PROJECT_FILE} so it becomes a referenced subject`);
      visit(dep, [...chain, s.file]);
    }
    state.set(s.file, "done");
    out.push(s);
  };
  for (const s of schemas) visit(s, []);
  return out;
}
