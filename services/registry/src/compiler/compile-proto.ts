import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createFileRegistry, fromBinary, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { formatBufAnnotation, parseBufAnnotations, type BufAnnotation } from "./buf-annotations.js";
import { bufBinary } from "./buf-binary.js";
import { bundledImportsFor } from "./bundled-imports.js";
import { compilerFailed, importNotFound, schemaInvalid } from "./errors.js";
import { findFile, resolveMessage, type CompiledSchema } from "./load-descriptor-set.js";
import { validateDescriptors } from "./validate-descriptors.js";

export { loadDescriptorSet, type CompiledSchema } from "./load-descriptor-set.js";

/** One .proto source: `name` is its import path (e.g. `shop/order.proto`), `content` its text. */
export interface ProtoSource {
  name: string;
  content: string;
}

/** Knobs for compileProto; the defaults suit the registry. */
export interface CompileOptions {
  /** Kill buf after this long. @default 30000 */
  timeoutMs?: number;
  /** The buf executable. @default the one from @bufbuild/buf */
  buf?: string;
}

// Shown at most; a broken file can produce hundreds of follow-on errors.
const MAX_ERRORS = 10;

/**
 * Compiles a .proto file and its imports with `buf build` into a descriptor set (well-known types come with buf;
 * `buf/validate/validate.proto` is bundled, see bundled-imports.ts).
 * Throws INVALID_ARGUMENT with reason SCHEMA_INVALID (message has `file:line:column:`), IMPORT_NOT_FOUND or MESSAGE_NOT_FOUND.
 */
export async function compileProto(
  main: ProtoSource,
  imports: ProtoSource[],
  messageName?: string,
  options: CompileOptions = {},
): Promise<CompiledSchema> {
  checkNames([main, ...imports]);
  const sources = [main, ...imports, ...bundledImportsFor([main, ...imports])];
  const dir = await mkdtemp(join(tmpdir(), "trackway-proto-"));
  try {
    await writeFile(join(dir, "buf.yaml"), "version: v2\n");
    for (const s of sources) {
      await mkdir(dirname(join(dir, s.name)), { recursive: true });
      await writeFile(join(dir, s.name), s.content);
    }
    const args = ["build", ".", "--path", main.name, "-o", "out.binpb", "--exclude-source-info",
      "--as-file-descriptor-set", "--error-format", "json", "--disable-symlinks"];
    const r = await run(options.buf ?? bufBinary(), args, dir, options.timeoutMs ?? 30_000);
    if (r.code !== 0) throw compileError(r, sources);
    const descriptorSet = new Uint8Array(await readFile(join(dir, "out.binpb")));
    let registry: FileRegistry;
    try {
      registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, descriptorSet));
    } catch (e) {
      throw compilerFailed(`buf produced a descriptor set that does not load: ${(e as Error).message}`, e);
    }
    const file = findFile(registry, main.name);
    if (!file) throw compilerFailed(`buf's output lacks ${main.name}`);
    validateDescriptors(registry.files);
    const message = resolveMessage(file, messageName);
    return { descriptorSet, fileName: main.name, messageName: message.typeName, registry, message };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Rejects names that are not relative `.proto` paths inside the workspace, and duplicates. */
function checkNames(sources: ProtoSource[]): void {
  const seen = new Set<string>();
  for (const { name } of sources) {
    const parts = name.split("/");
    const bad = !name.endsWith(".proto") || name.startsWith("/") || name.includes("\\") || name.includes("\0") ||
      parts.some((p) => p === "" || p === "." || p === "..");
    if (bad) throw schemaInvalid(`"${name}" is not a valid file name (a relative path such as "shop/order.proto")`);
    if (seen.has(name)) throw schemaInvalid(`"${name}" is given twice`);
    seen.add(name);
  }
}

/** Turns buf's failure into the schema's error, or into SCHEMA_COMPILER_FAILED when buf did not get to compile. */
function compileError(r: RunResult, sources: ProtoSource[]): Error {
  const annotations = parseBufAnnotations(`${r.stdout}\n${r.stderr}`);
  if (annotations.length === 0) {
    const why = r.timedOut ? "timed out" : (r.stderr.trim() || r.stdout.trim() || `exit code ${r.code}`);
    return compilerFailed(why.split("\n").slice(0, 5).join(" "));
  }
  const missing = annotations.filter((a) => /file does not exist|not found/i.test(a.message) && importPath(a, sources));
  if (missing.length > 0) {
    const lines = missing.map((a) => `${a.path}:${a.start_line}:${a.start_column}:import "${importPath(a, sources)}" is neither a well-known type nor among the schema's imports`);
    return importNotFound(lines.join("; "));
  }
  const shown = annotations.slice(0, MAX_ERRORS).map(formatBufAnnotation);
  if (annotations.length > MAX_ERRORS) shown.push(`and ${annotations.length - MAX_ERRORS} more`);
  return schemaInvalid(shown.join("; "));
}

/** The import path written on the line an annotation points at, when that line is an import statement. */
function importPath(a: BufAnnotation, sources: ProtoSource[]): string | undefined {
  const line = sources.find((s) => s.name === a.path)?.content.split("\n")[a.start_line - 1];
  return line?.match(/^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"/)?.[1];
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs a process to completion; never rejects for a non-zero exit. */
function run(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (!err) return resolve({ code: 0, stdout, stderr, timedOut: false });
      const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
      if (typeof e.code === "string") return reject(compilerFailed(`cannot run ${cmd}: ${e.message}`, e));
      resolve({ code: typeof e.code === "number" ? e.code : -1, stdout, stderr, timedOut: e.killed === true });
    });
  });
}
