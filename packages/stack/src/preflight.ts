import { execFile } from "node:child_process";
import { mkdir, statfs } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { diskFull, javaMissing, mavenMissing, portInUse } from "./errors.js";
import { findProcesses } from "./scan.js";

const run = promisify(execFile);

/** The `java` binary to run, from a JDK home or PATH. */
export const javaBin = (javaHome: string | undefined) => (javaHome ? path.join(javaHome, "bin", "java") : "java");

/** Checks that Java runs and is a version Flink 1.17 and Kafka 3.9 run on (11 or 17); returns its major version. */
export async function checkJava(javaHome: string | undefined): Promise<number> {
  const bin = javaBin(javaHome);
  let out: string;
  try {
    const r = await run(bin, ["-XshowSettings:properties", "-version"], { timeout: 30_000 });
    out = r.stderr + r.stdout;
  } catch (e) {
    throw javaMissing(`could not run ${bin} (${(e as Error).message.split("\n")[0]})`);
  }
  const major = Number(/java\.specification\.version = (\d+)/.exec(out)?.[1] ?? 0);
  // Flink 1.17 supports 8 and 11 and runs on 17 with the module opens we pass; later JDKs break it.
  if (major !== 11 && major !== 17) throw javaMissing(`${bin} is Java ${major || "of unknown version"}, not 17`);
  return major;
}

/** Checks that Maven runs; returns its version line. */
export async function checkMaven(mvn: string, javaHome: string | undefined): Promise<string> {
  try {
    const r = await run(mvn, ["-v"], { timeout: 60_000, env: mavenEnv(javaHome) });
    return r.stdout.split("\n")[0]?.replace(/\x1b\[[0-9;]*m/g, "") ?? "";
  } catch (e) {
    throw mavenMissing(e);
  }
}

/** The environment Maven runs with: the same JDK as the stack. */
export const mavenEnv = (javaHome: string | undefined): NodeJS.ProcessEnv =>
  javaHome ? { ...process.env, JAVA_HOME: javaHome } : process.env;

/** Throws when the disk under `dir` has less than `needMiB` free. */
export async function checkDisk(dir: string, needMiB: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const s = await statfs(dir);
  const freeMiB = Math.floor((s.bavail * s.bsize) / 2 ** 20);
  if (freeMiB < needMiB) throw diskFull(dir, freeMiB, needMiB);
}

/** Whether something accepts or holds `host:port` (we try to listen on it). */
export function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Throws a clear error naming the env var to change when a port is taken. */
export async function checkPort(part: string, host: string, port: number, envVar: string): Promise<void> {
  if (await portFree(host, port)) return;
  // Name the usual culprit: the stack of another checkout (its JVMs carry -Dtrackway.stack=<dir>#<part>).
  const others = new Set(findProcesses(["-Dtrackway.stack="]).map((p) => /-Dtrackway\.stack=(\S+)#/.exec(p.cmdline)?.[1] ?? "?"));
  throw portInUse(part, host, port, envVar, [...others]);
}
