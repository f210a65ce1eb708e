import { loadStackConfig, type StackConfig, type StackEndpoints } from "./config.js";
import { waitHealthy } from "./health.js";
import { allParts } from "./parts.js";
import type { Part } from "./part.js";
import { isAlive, readPid } from "./process.js";
import { stackContext } from "./up.js";

/** The state of one part: running and healthy, running but not answering, stopped, died, or external. */
export interface PartStatus {
  name: string;
  label: string;
  state: "running" | "unhealthy" | "stopped" | "dead" | "external";
  pid?: number;
  ports: number[];
  logFiles: string[];
  /** Why its probe failed, when it did. */
  problem?: string;
}

/** The whole stack's status. */
export interface StackStatus {
  stateDir: string;
  up: boolean;
  parts: PartStatus[];
  endpoints: StackEndpoints;
}

/** Reports each part from its pid file and one health probe. */
export async function status(options: { config?: StackConfig; env?: NodeJS.ProcessEnv; parts?: Part[] } = {}): Promise<StackStatus> {
  const config = options.config ?? loadStackConfig(options.env);
  const ctx = stackContext(config);
  const parts = await Promise.all(
    (options.parts ?? allParts).map(async (part): Promise<PartStatus> => {
      const base = { name: part.name, label: part.label, ports: part.ports(ctx).map((p) => p.port), logFiles: part.logFiles(ctx) };
      const external = part.external(ctx);
      const record = external ? undefined : await readPid(ctx.paths.run, part.name);
      if (!external && !record) return { ...base, state: "stopped" };
      if (!external && !isAlive(record)) return { ...base, state: "dead", pid: record?.pid };
      const problem = await waitHealthy(part.label, part.probe(ctx, false), { timeoutSeconds: 0 }).then(
        () => undefined,
        (e: Error) => e.message,
      );
      const state = problem ? (external ? "external" : "unhealthy") : external ? "external" : "running";
      return { ...base, state, pid: record?.pid, ...(problem ? { problem } : {}) };
    }),
  );
  return { stateDir: ctx.paths.root, up: parts.every((p) => (p.state === "running" || p.state === "external") && !p.problem), parts, endpoints: config.endpoints };
}
