// The README's test command: installs what it needs, brings the real stack up, runs every test.
// Unit tests run first; integration and e2e tests then run on real Kafka, Flink, Hudi and PostgreSQL.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ensureClients } from "./ensure-clients.mjs";
import { buildConsole } from "./build-console.mjs";
import { ensureChromium } from "./ensure-chromium.mjs";
import { ensureDeps, root } from "./ensure-deps.mjs";

ensureDeps();
// The console's app (built when its sources changed) and the browser its end-to-end test drives.
await buildConsole();
let browser = 0;
try {
  ensureChromium();
} catch (e) {
  console.error(`${e instanceof Error ? e.message : e}; the console's browser test will fail`);
  browser = 1;
}
const bin = (name) => join(root, "node_modules", ".bin", name);
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: "inherit" }).status ?? 1;
const stack = (...args) => run(bin("tsx"), [join(root, "packages/stack/src/cli.ts"), ...args]);
const extra = process.argv.slice(2);

// vitest only transpiles: the types (services, packages, tests and the console's web app) and the protos are checked here.
const types = run(bin("tsc"), ["-p", "tsconfig.json", "--noEmit"]) || run(bin("tsc"), ["-p", "services/console/web/tsconfig.json", "--noEmit"]) || run(bin("buf"), ["lint"]);
if (types !== 0) console.error("the type check or buf lint failed (see above)");
const unit = run(bin("vitest"), ["run", "--project", "unit", ...extra]);

// `status` exits 0 when every part is already up: then we leave the stack as we found it.
const wasUp = spawnSync(bin("tsx"), [join(root, "packages/stack/src/cli.ts"), "status"], { cwd: root, stdio: "ignore" }).status === 0;
const up = wasUp ? 0 : stack("up");
if (up !== 0) console.error("the stack did not come up (see above); the integration tests will fail");
// The registry's compatibility suite runs Confluent's Python and Go clients and grpcurl: pinned, cached installs.
let clients = 0;
try {
  ensureClients();
} catch (e) {
  console.error(`the Confluent clients did not install (${e.message}); their tests will fail`);
  clients = 1;
}
const integration = run(bin("vitest"), ["run", "--project", "integration", ...extra]);
if (!wasUp && process.env.TRACKWAY_KEEP_STACK !== "1") stack("down");

process.exit(types || unit || integration || up || clients || browser);
