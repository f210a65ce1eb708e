import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import type { ResolvedSchema, SchemaLookup } from "@trackway/ingest";
import { loadSchemaProject, PROJECT_FILE } from "@trackway/registry-client";

/** Contracts loaded once, in memory: subject → its one version (1). */
export interface LoadedContracts {
  lookup: SchemaLookup;
  subjects: string[];
}

/** A SchemaLookup over fixed schemas: each subject has version 1 (and 0 = latest resolves to it). */
export function fixedSchemas(bySubject: ReadonlyMap<string, ResolvedSchema>): SchemaLookup {
  return {
    get: async (subject, version) => {
      const s = bySubject.get(subject);
      return s && (version === 0 || version === s.version) ? s : undefined;
    },
    hasSubject: async (subject) => bySubject.has(subject),
  };
}

const bufPath = () => join(createRequire(import.meta.url).resolve("@bufbuild/buf/package.json"), "..", "bin", "buf");

/**
 * Compiles a folder of .proto files with one `buf build` (well-known types included) and maps each schema of its
 * `trackway.json` (the file `trackway schema push` reads) to a subject at version 1.
 */
export async function loadProtoDir(dir: string): Promise<LoadedContracts> {
  const root = resolve(dir);
  const project = await loadSchemaProject(root).catch((e: unknown) => {
    throw new Error(`${root}: cannot read ${PROJECT_FILE} (it maps each event name to its file and message): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  });
  const out = await mkdtemp(join(tmpdir(), "trackway-micro-"));
  try {
    const image = join(out, "image.binpb");
    await new Promise<void>((ok, fail) =>
      execFile(process.execPath, [bufPath(), "build", root, "--as-file-descriptor-set", "--exclude-source-info", "-o", image], { timeout: 30_000 }, (e, _stdout, stderr) =>
        e ? fail(new Error(`the .proto files in ${root} do not compile:\n${stderr.trim() || e.message}`)) : ok(),
      ),
    );
    const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, await readFile(image)));
    const bySubject = new Map<string, ResolvedSchema>();
    project.forEach((s, i) => {
      const message = s.message ? registry.getMessage(s.message) : registry.getFile(s.file)?.messages[0];
      if (!message) throw new Error(`${PROJECT_FILE}: ${s.subject}: no message ${s.message ?? "at all"} in ${s.file}`);
      bySubject.set(s.subject, { schemaId: i + 1, version: 1, lifecycle: "active", message, registry });
    });
    return { lookup: fixedSchemas(bySubject), subjects: [...bySubject.keys()] };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
