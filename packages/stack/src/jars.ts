import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile, rm, stat, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { mavenFailed } from "./errors.js";
import type { StackPaths } from "./paths.js";
import { mavenEnv } from "./preflight.js";
import { tailFile } from "./process.js";

const poms = ["pom.xml", "flink/pom.xml", "kafka/pom.xml"];

/** The classpath folders under `<state>/lib` that Maven fills. */
export const libDirs = ["flink", "flink-gateway", "kafka"] as const;

/** A hash of the pom tree: when it matches the stamp, the jar folders are complete and Maven is skipped. */
export async function pomHash(p: StackPaths): Promise<string> {
  const h = createHash("sha256");
  for (const pom of poms) h.update(pom).update(await readFile(path.join(p.pomDir, pom)));
  return h.digest("hex");
}

/** Whether the jar folders match the current poms (stamp present and equal). */
export async function jarsReady(p: StackPaths): Promise<boolean> {
  try {
    return (await readFile(p.libStamp, "utf8")).trim() === (await pomHash(p));
  } catch {
    return false;
  }
}

/** Copies the stack's jars from Maven Central (cached in ~/.m2) into `<state>/lib`, then writes the stamp. */
export async function resolveJars(p: StackPaths, mvn: string, javaHome: string | undefined): Promise<{ jars: number; mib: number }> {
  await rm(p.lib, { recursive: true, force: true }); // a changed pom may drop jars: start from empty
  await mkdir(p.logs, { recursive: true });
  const logFile = path.join(p.logs, "maven.log");
  const args = ["-B", "-f", path.join(p.pomDir, "pom.xml"), "generate-resources", `-Dtrackway.lib=${p.lib}`];
  const result = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(mvn, args, { env: mavenEnv(javaHome), maxBuffer: 64 * 2 ** 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
    });
  });
  await writeFile(logFile, result.output);
  if (result.code !== 0) {
    const unreachable = /Unknown host|UnknownHostException|Connection (refused|timed out)|Could not transfer|Network is unreachable|No route to host/i.test(result.output);
    const tail = (await tailFile(logFile, 200)).split("\n")
      .filter((l) => /\[ERROR\] \S/.test(l) && !/Re-run Maven|full stack trace|For more information|\[Help \d\]/.test(l))
      .slice(0, 4)
      .join("\n");
    throw mavenFailed(unreachable, logFile, tail);
  }
  let jars = 0;
  let bytes = 0;
  for (const dir of libDirs) {
    for (const f of await readdir(path.join(p.lib, dir))) {
      jars++;
      bytes += (await stat(path.join(p.lib, dir, f))).size;
    }
  }
  await writeFile(p.libStamp, `${await pomHash(p)}\n`);
  return { jars, mib: Math.round(bytes / 2 ** 20) };
}
