import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseBufAnnotations, type BufAnnotation } from "./buf-annotations.js";
import { bufBinary } from "./buf-binary.js";
import type { ProtoSource } from "./compile-proto.js";
import { compilerFailed } from "./errors.js";

const BUF_YAML = "version: v2\nbreaking:\n  use:\n    - WIRE_JSON\n";

/**
 * Runs the real `buf breaking <after> --against <before>` with the WIRE_JSON category on two source trees and
 * returns buf's violations (empty when compatible): the oracle the registry's own rules are tested against.
 */
export async function bufBreaking(after: ProtoSource[], before: ProtoSource[], options: { buf?: string; timeoutMs?: number } = {}): Promise<BufAnnotation[]> {
  const dir = await mkdtemp(join(tmpdir(), "trackway-breaking-"));
  try {
    for (const [side, files] of [["after", after], ["before", before]] as const) {
      await mkdir(join(dir, side));
      await writeFile(join(dir, side, "buf.yaml"), BUF_YAML);
      for (const f of files) {
        await mkdir(dirname(join(dir, side, f.name)), { recursive: true });
        await writeFile(join(dir, side, f.name), f.content);
      }
    }
    const args = ["breaking", "after", "--against", "before", "--error-format", "json", "--disable-symlinks"];
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(options.buf ?? bufBinary(), args, { cwd: dir, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 << 20 }, (err, out, errOut) => {
        const c = (err as { code?: unknown } | null)?.code;
        resolve({ code: err ? (typeof c === "number" ? c : -1) : 0, stdout: out, stderr: errOut });
      });
    });
    // buf exits 100 when it found violations; anything else but 0 means it could not check.
    if (code !== 0 && code !== 100) throw compilerFailed(`buf breaking exited ${code}: ${(stderr || stdout).trim().split("\n").slice(0, 5).join(" ")}`);
    return parseBufAnnotations(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
