// Installs the other languages' Confluent clients the registry compatibility suite runs, each pinned and cached:
// a Python venv with confluent-kafka (tests/integration/registry/clients/python/requirements.txt), the Go client
// program built with confluent-kafka-go (tests/integration/registry/clients/go, go.sum committed), and grpcurl.
// Everything lands under one cache directory keyed by what it was built from, so a second run only checks stamps.
// Only Node built-ins here, like ensure-deps.mjs.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { root } from "./ensure-deps.mjs";

/** grpcurl's pinned version (from the Go module proxy). */
export const GRPCURL_VERSION = "v1.9.3";

const clients = join(root, "tests/integration/registry/clients");

/** Where the installs live: TRACKWAY_CLIENTS_CACHE, else $XDG_CACHE_HOME/trackway or ~/.cache/trackway. */
export function cacheDir() {
  return process.env.TRACKWAY_CLIENTS_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "trackway");
}

const hashOf = (...parts) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex").slice(0, 16);
};

/** Files of a directory (not recursive into hidden ones), for the cache key. */
function treeHash(dir) {
  const parts = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith(".")) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else parts.push(p.slice(dir.length), readFileSync(p));
    }
  };
  walk(dir);
  return hashOf(...parts);
}

/** Runs `build(dir)` once per key: a stamp file marks a finished install; a half-finished one is redone. */
function once(label, dir, build) {
  const stamp = join(dir, ".complete");
  if (existsSync(stamp)) return;
  const started = Date.now();
  console.error(`… ${label}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  build(dir);
  writeFileSync(stamp, new Date().toISOString());
  console.error(`✓ ${label} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"], ...opts });

/** A venv with the pinned Python client; returns its python executable. */
export function ensurePython() {
  const req = join(clients, "python/requirements.txt");
  const dir = join(cacheDir(), `py-${hashOf(readFileSync(req))}`);
  once("installing the Python Confluent client (pip, requirements.txt)", dir, (d) => {
    run(process.env.PYTHON || "python3", ["-m", "venv", d]);
    run(join(d, "bin/pip"), ["install", "--quiet", "--disable-pip-version-check", "--only-binary", ":all:", "-r", req]);
  });
  return join(dir, "bin/python");
}

/** The Go client program (confluent-kafka-go, modules from the Go proxy as go.sum pins them); returns its binary. */
export function ensureGoClient() {
  const src = join(clients, "go");
  const dir = join(cacheDir(), `go-client-${treeHash(src)}`);
  once("building the Go Confluent client (go build, confluent-kafka-go)", dir, (d) => {
    run("go", ["build", "-mod=readonly", "-o", join(d, "confluent-go-client"), "."], { cwd: src, env: { ...process.env, CGO_ENABLED: "1" } });
  });
  return join(dir, "confluent-go-client");
}

/** grpcurl at its pinned version; returns its binary. */
export function ensureGrpcurl() {
  const dir = join(cacheDir(), `grpcurl-${GRPCURL_VERSION}`);
  once(`installing grpcurl ${GRPCURL_VERSION} (go install)`, dir, (d) => {
    run("go", ["install", `github.com/fullstorydev/grpcurl/cmd/grpcurl@${GRPCURL_VERSION}`], { env: { ...process.env, GOBIN: d } });
  });
  return join(dir, "grpcurl");
}

/** Installs every client; returns their paths. */
export function ensureClients() {
  return { python: ensurePython(), goClient: ensureGoClient(), grpcurl: ensureGrpcurl() };
}

if (import.meta.url === `file://${process.argv[1]}`) ensureClients();
