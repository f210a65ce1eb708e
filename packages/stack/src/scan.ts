import { readdirSync, readFileSync } from "node:fs";

/** Live processes whose command line contains any of `needles` (a check that `down` left nothing behind). */
export function findProcesses(needles: string[]): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) continue; // exited, not yet reaped
      if (needles.some((n) => cmdline.includes(n))) found.push({ pid, cmdline });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
