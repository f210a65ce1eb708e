import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = join(import.meta.dirname, "../..");
const buf = join(root, "node_modules/.bin/buf");
let dir: string;

/** Runs `buf breaking <copy> --against <repository>` with the repository's buf.yaml rules; returns exit code and output. */
async function breaking(): Promise<{ code: number; out: string }> {
  try {
    const r = await run(buf, ["breaking", dir, "--against", root, "--error-format", "json"], { cwd: root });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout + x.stderr };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trackway-breaking-"));
  await cp(join(root, "proto"), join(dir, "proto"), { recursive: true });
  await cp(join(root, "buf.yaml"), join(dir, "buf.yaml"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("buf breaking on the envelope", () => {
  it("passes on an unchanged copy", async () => {
    expect(await breaking()).toMatchObject({ code: 0 });
  });

  it("fails when a field's type changes", async () => {
    const file = join(dir, "proto/trackway/event/v1/event.proto");
    const src = await readFile(file, "utf8");
    expect(src).toContain("string session_id = 7;");
    await writeFile(file, src.replace("string session_id = 7;", "int64 session_id = 7;"));
    const r = await breaking();
    expect(r.code).not.toBe(0);
    expect(r.out).toContain("FIELD_WIRE_JSON_COMPATIBLE_TYPE");
    expect(r.out).toContain("session_id");
  });
});

describe("buf lint", () => {
  it("is clean on the repository's protos", async () => {
    await expect(run(buf, ["lint"], { cwd: root })).resolves.toBeDefined();
  });
});
