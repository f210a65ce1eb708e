// Builds the console's single-page app (services/console/web → services/console/dist) with Vite, only when its
// sources or the lock file changed since the last build. Nothing generated is committed.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const web = join(root, "services/console/web");
const dist = join(root, "services/console/dist");
const stamp = join(dist, ".sources-sha256");

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** A hash of everything the build reads: the app's sources and the installed versions (package-lock.json). */
function sourcesHash() {
  const h = createHash("sha256");
  for (const f of [...files(web), join(root, "package-lock.json"), fileURLToPath(import.meta.url)].sort()) h.update(relative(root, f)).update(readFileSync(f));
  return h.digest("hex");
}

/** Builds the app unless dist/ already holds a build of the same sources. */
export async function buildConsole({ force = false } = {}) {
  const hash = sourcesHash();
  if (!force && existsSync(stamp) && readFileSync(stamp, "utf8") === hash) return false;
  const started = Date.now();
  console.error("… building the console app (vite)");
  const { build } = await import("vite");
  await build({
    root: web,
    configFile: false,
    logLevel: "warn",
    base: "/",
    esbuild: { jsx: "automatic", jsxImportSource: "preact" },
    build: { outDir: dist, emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 1500, reportCompressedSize: false },
  });
  writeFileSync(stamp, hash);
  console.error(`✓ console app built (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) await buildConsole({ force: process.argv.includes("--force") });
