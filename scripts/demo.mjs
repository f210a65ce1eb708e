// The README's first command: installs what it needs, then runs `trackway demo` (the platform's main job end
// to end). Extra arguments go to `trackway demo` (see `npx trackway demo --help`).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ensureDeps, root } from "./ensure-deps.mjs";

ensureDeps();
const r = spawnSync(process.execPath, [join(root, "packages/cli/bin/trackway.js"), "demo", ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
process.exit(r.status ?? 1);
