import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** What a pid file records: the pid and a string its command line must contain (guards against pid reuse). */
export interface PidRecord {
  pid: number;
  marker: string;
  startedAt: string;
}

/** How to start one detached process. */
export interface SpawnSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where stdout and stderr go. */
  outFile: string;
  /** A string unique to this process's command line. */
  marker: string;
  uid?: number;
  gid?: number;
}

const pidFile = (runDir: string, name: string) => path.join(runDir, `${name}.pid`);

/** Starts a process that outlives this one: own session, stdio to a file, pid file written. */
export async function spawnDetached(runDir: string, spec: SpawnSpec): Promise<PidRecord> {
  await mkdir(runDir, { recursive: true });
  await mkdir(path.dirname(spec.outFile), { recursive: true });
  const fd = openSync(spec.outFile, "a");
  try {
    const child = spawn(spec.command, spec.args, {
      detached: true, // own process group: survives `npm run stack up` returning, and stops as a group
      stdio: ["ignore", fd, fd],
      env: spec.env ?? process.env,
      cwd: spec.cwd,
      uid: spec.uid,
      gid: spec.gid,
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("spawn", () => resolve(child.pid as number));
    });
    child.unref();
    const record: PidRecord = { pid, marker: spec.marker, startedAt: new Date().toISOString() };
    await writeFile(pidFile(runDir, spec.name), JSON.stringify(record));
    return record;
  } finally {
    closeSync(fd);
  }
}

/** The pid record of a part, or undefined when there is none. */
export async function readPid(runDir: string, name: string): Promise<PidRecord | undefined> {
  try {
    return JSON.parse(await readFile(pidFile(runDir, name), "utf8")) as PidRecord;
  } catch {
    return undefined;
  }
}

/** Removes a part's pid file. */
export const removePid = (runDir: string, name: string) => rm(pidFile(runDir, name), { force: true });

/** Whether the recorded process is alive and still the one we started (its command line has the marker). */
export function isAlive(record: PidRecord | undefined): boolean {
  if (!record) return false;
  try {
    const cmdline = readFileSync(`/proc/${record.pid}/cmdline`, "utf8").replaceAll("\0", " ");
    const stat = readFileSync(`/proc/${record.pid}/stat`, "utf8");
    // A zombie (state Z) has exited; it only waits to be reaped by its parent.
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && cmdline.includes(record.marker);
  } catch {
    return false;
  }
}


/**
 * Stops a process group: `signal` (SIGTERM, or SIGINT for Postgres' fast shutdown), waits up to
 * `graceMs`, then SIGKILL. Resolves true when it had to kill.
 */
export async function stopProcess(record: PidRecord, signal: NodeJS.Signals = "SIGTERM", graceMs = 30_000): Promise<boolean> {
  if (!isAlive(record)) return false;
  killGroup(record.pid, signal);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(record)) return false;
    await sleep(200);
  }
  killGroup(record.pid, "SIGKILL");
  for (let i = 0; i < 50 && isAlive(record); i++) await sleep(100);
  return true;
}

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal); // the whole group: Postgres' backends too
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** The last `lines` lines of a file, or a note that it is missing. */
export async function tailFile(file: string, lines = 30): Promise<string> {
  try {
    const text = await readFile(file, "utf8");
    return text.trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return `(no log at ${file})`;
  }
}
