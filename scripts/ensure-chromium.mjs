// Installs Debian's chromium for the console's end-to-end tests when it is missing (browsers cannot be downloaded
// by playwright here; the distribution's package can). Only Node built-ins: runs before anything else.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Where the e2e tests look for the browser (env TRACKWAY_CHROMIUM overrides). */
export const chromiumPath = process.env.TRACKWAY_CHROMIUM ?? "/usr/bin/chromium";

/** Runs `apt-get install chromium` unless the browser is there; throws with what to do when it cannot. */
export function ensureChromium() {
  if (existsSync(chromiumPath)) return;
  const started = Date.now();
  const asRoot = process.getuid?.() === 0;
  const sudo = asRoot ? [] : ["sudo", "-n"];
  const run = (args) => {
    const [cmd, ...rest] = [...sudo, ...args];
    execFileSync(cmd, rest, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  };
  console.error(`… installing chromium for the console's browser tests (apt-get; ${chromiumPath} is missing)`);
  try {
    run(["apt-get", "update", "-q"]);
    run(["apt-get", "install", "-y", "-q", "--no-install-recommends", "chromium"]);
  } catch (e) {
    throw new Error(`could not install chromium with apt-get (${e instanceof Error ? e.message : e}); install it yourself or set TRACKWAY_CHROMIUM to a Chromium binary`);
  }
  if (!existsSync(chromiumPath)) throw new Error(`apt-get installed chromium but ${chromiumPath} is missing; set TRACKWAY_CHROMIUM`);
  console.error(`✓ chromium installed (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}

if (import.meta.url === `file://${process.argv[1]}`) ensureChromium();
