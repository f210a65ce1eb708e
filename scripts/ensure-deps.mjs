// Installs the workspace's npm dependencies when they are missing or older than package-lock.json.
// Only Node built-ins here: this runs on a fresh clone before anything is installed.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Runs `npm ci` (from npm's cache when it can) unless node_modules matches package-lock.json already. */
export function ensureDeps() {
  const lock = readFileSync(join(root, "package-lock.json"));
  const hash = createHash("sha256").update(lock).digest("hex");
  const stamp = join(root, "node_modules", ".trackway-lock-sha256");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash) return;
  const started = Date.now();
  console.error("… installing npm dependencies (npm ci)");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  writeFileSync(stamp, hash);
  console.error(`✓ npm dependencies installed (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}

if (import.meta.url === `file://${process.argv[1]}`) ensureDeps();
