import { secureStateDir } from "./state-dir.js";
import { usesLegacyPostgresPassword } from "./postgres-password.js";
import { loadStackConfig, type StackConfig, type StackEndpoints } from "./config.js";
import { isStackError } from "./errors.js";
import { waitHealthy, tailLogs } from "./health.js";
import { jarsReady, resolveJars } from "./jars.js";
import { withLock } from "./lock.js";
import type { Part, StackContext } from "./part.js";
import { allParts } from "./parts.js";
import { stackPaths } from "./paths.js";
import { checkDisk, checkJava, checkMaven, checkPort, javaBin } from "./preflight.js";
import { isAlive, readPid, removePid, type PidRecord } from "./process.js";
import { quietProgress, since, streamProgress, type Progress } from "./progress.js";

/** Options of `up`. */
export interface UpOptions {
  /** Compiled config; read from `env` when absent. */
  config?: StackConfig;
  env?: NodeJS.ProcessEnv;
  /** Where progress goes. @default progress on stdout */
  progress?: Progress | "quiet";
  /** The parts to bring up, in start order. @default the engines (enginesParts) */
  parts?: Part[];
}

/** What `up` did: whether it found the stack already up, and seconds per part it started. */
export interface UpResult {
  alreadyUp: boolean;
  seconds: Record<string, number>;
  endpoints: StackEndpoints;
}

/** Builds the context every part gets. */
/** What to do about a state dir whose PostgreSQL still has the old fixed password. */
const legacyPasswordNote = (root: string) =>
  `warning: the PostgreSQL in ${root} was made with the old fixed password "postgres" (any local user may log in with it). ` +
  `To move to a generated one, keep nothing you need in it and run \`trackway stack down && rm -rf ${root}/postgres && trackway stack up\` ` +
  `(a new database, password in ${root}/postgres.password, mode 600); or point DATABASE_URL at a server of yours.`;

export function stackContext(config: StackConfig): StackContext {
  return { config, paths: stackPaths(config.stateDir), java: javaBin(config.javaHome) };
}

const healthyNow = (ctx: StackContext, part: Part) =>
  waitHealthy(part.label, part.probe(ctx, false), { timeoutSeconds: 0 }).then(() => true, () => false);

/**
 * Brings the stack up: jars (Maven, skipped when cached), then every part not already running, each
 * waited on until healthy. A second call finds everything healthy and returns at once.
 */
export async function up(options: UpOptions = {}): Promise<UpResult> {
  const config = options.config ?? loadStackConfig(options.env);
  const progress = options.progress === "quiet" ? quietProgress : (options.progress ?? streamProgress());
  const ctx = stackContext(config);
  await secureStateDir(ctx);
  if (usesLegacyPostgresPassword(ctx.paths.root) && !config.external.postgres) {
    progress.info(legacyPasswordNote(ctx.paths.root));
  }
  return withLock(ctx.paths.lock, config.timeoutSeconds * 3000, async () => {
    const t0 = performance.now();
    const parts = options.parts ?? allParts;
    const running = await Promise.all(parts.map(async (p) => (await isUp(ctx, p)) ? p : undefined));
    if (running.every(Boolean)) {
      progress.info(`stack already up (${since(t0)}); state in ${ctx.paths.root}`);
      return { alreadyUp: true, seconds: {}, endpoints: config.endpoints };
    }
    const toStart: Part[] = [];
    for (const [i, part] of parts.entries()) {
      if (running[i] || part.external(ctx)) continue;
      const record = await readPid(ctx.paths.run, part.name);
      if (record && !isAlive(record)) {
        progress.info(`${part.label} (pid ${record.pid}) had died; restarting it. Last log lines:\n${await tailLogs(part.logFiles(ctx), 15)}`);
        await removePid(ctx.paths.run, part.name);
      }
      if (record && isAlive(record)) continue; // alive but not healthy yet: wait on it below
      toStart.push(part);
    }
    // Ports first: a taken port should fail in a second, not after a download.
    for (const part of toStart) for (const { port, envVar } of part.ports(ctx)) await checkPort(part.label, config.host, port, envVar);
    const ready = await jarsReady(ctx.paths);
    await checkDisk(ctx.paths.root, ready ? 1024 : 2048);
    if (toStart.length > 0) await progress.step("Java", () => checkJava(config.javaHome), (v) => `Java ${v}`);
    // Parts only waited on were started with the jars already there.
    if (!ready && toStart.length > 0) {
      await progress.step("Maven", () => checkMaven(config.mvn, config.javaHome), (v) => v);
      await progress.step("jars from Maven Central (cache ~/.m2)", () => resolveJars(ctx.paths, config.mvn, config.javaHome), (r) => `${r.jars} jars, ${r.mib} MiB`);
    }

    const seconds: Record<string, number> = {};
    let spawnChain: Promise<unknown> = Promise.resolve();
    const results = await Promise.allSettled(
      parts.map((part, i) => {
        if (running[i]) return Promise.resolve();
        const fresh = toStart.includes(part);
        // Spawn one at a time in start order (the TaskManager reads the conf the JobManager writes), then wait
        // for health concurrently. The chain is built here, synchronously: built after an await, its order
        // followed whichever file read finished first, and a TaskManager once started before its conf existed.
        let spawned: Promise<PidRecord> | undefined;
        if (fresh) {
          spawned = spawnChain.then(() => part.start(ctx));
          spawnChain = spawned.catch(() => {});
        }
        return progress.step(`${part.label}${part.external(ctx) ? " (external)" : ""}`, async () => {
          const start = performance.now();
          const record: PidRecord | undefined = spawned ? await spawned : await readPid(ctx.paths.run, part.name);
          const healthy = (r: PidRecord | undefined, isFresh: boolean) =>
            waitHealthy(part.label, part.probe(ctx, isFresh), {
              timeoutSeconds: config.timeoutSeconds,
              record: part.external(ctx) ? undefined : r,
              logFiles: part.logFiles(ctx),
            });
          try {
            await healthy(record, fresh);
          } catch (e) {
            // A part found alive but unhealthy may have been on its way out (a TaskManager Flink's cancellation
            // watchdog is terminating stays alive for seconds); once it is gone, start it like any dead part.
            if (fresh || part.external(ctx) || !isStackError(e) || e.reason !== "PROCESS_DIED") throw e;
            progress.info(`${part.label} (pid ${record?.pid}) died while up waited on it; restarting it. Last log lines:\n${await tailLogs(part.logFiles(ctx), 15)}`);
            await removePid(ctx.paths.run, part.name);
            await healthy(await part.start(ctx), true);
            await part.afterHealthy?.(ctx);
          }
          if (fresh) await part.afterHealthy?.(ctx);
          seconds[part.name] = Number(((performance.now() - start) / 1000).toFixed(1));
        });
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    progress.info(`stack up in ${since(t0)}; state in ${ctx.paths.root}`);
    return { alreadyUp: false, seconds, endpoints: config.endpoints };
  });
}

/** Whether a part is up now: alive (when local) and answering its probe. */
async function isUp(ctx: StackContext, part: Part): Promise<boolean> {
  if (!part.external(ctx) && !isAlive(await readPid(ctx.paths.run, part.name))) return false;
  return healthyNow(ctx, part);
}
