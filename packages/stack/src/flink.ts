import { execFile } from "node:child_process";
import { copyFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { StackError } from "./errors.js";
import { flinkProbe, jobManagerProbe, sqlGatewayProbe } from "./health.js";
import { markerOf, type Part, type StackContext } from "./part.js";
import { spawnDetached } from "./process.js";
import { renderTemplate } from "./render.js";

const run = promisify(execFile);
const confDir = (ctx: StackContext) => path.join(ctx.paths.conf, "flink");
// lib/flink-patches first: its classes replace the same classes of the jars in lib/flink (stack/flink/pom.xml, HUDI-7030).
const flinkCp = (ctx: StackContext) => `${path.join(ctx.paths.lib, "flink-patches", "*")}:${path.join(ctx.paths.lib, "flink", "*")}`;
const gatewayCp = (ctx: StackContext) => `${flinkCp(ctx)}:${path.join(ctx.paths.lib, "flink-gateway", "*")}`;
const fileUrl = (p: string) => pathToFileURL(p).href.replace(/\/$/, "");

/** Writes `<state>/conf/flink/{flink-conf.yaml,log4j.properties}` (the FLINK_CONF_DIR of all three JVMs). */
async function writeFlinkConf(ctx: StackContext): Promise<void> {
  const { config, paths } = ctx;
  for (const dir of [paths.flinkTmp, paths.checkpoints, paths.savepoints, paths.hudi]) await mkdir(dir, { recursive: true });
  await renderTemplate(path.join(paths.pomDir, "conf", "flink-conf.yaml"), path.join(confDir(ctx), "flink-conf.yaml"), {
    host: config.host,
    rpcPort: config.ports.flinkRpc,
    restPort: config.ports.flinkRest,
    gatewayPort: config.ports.sqlGateway,
    jmMemory: config.memory.jobManager,
    tmMemory: config.memory.taskManager,
    slots: config.taskSlots,
    checkpoints: fileUrl(paths.checkpoints),
    savepoints: fileUrl(paths.savepoints),
    tmpDir: paths.flinkTmp,
  });
  await copyFile(path.join(paths.pomDir, "conf", "flink-log4j.properties"), path.join(confDir(ctx), "log4j.properties"));
}

/** The module opens Flink needs on Java 17 (the dist passes them as env.java.opts.all). */
async function javaOpens(ctx: StackContext): Promise<string[]> {
  const text = await readFile(path.join(ctx.paths.pomDir, "conf", "java17-opens.txt"), "utf8");
  return text.split("\n").map((l) => l.trim()).filter((l) => l.startsWith("--"));
}

/**
 * Asks Flink's BashJavaUtils (as bin/jobmanager.sh and taskmanager.sh do) for the JVM memory flags and the
 * `-D` memory settings the entrypoint insists on; the TaskManager refuses to start without them.
 */
async function memoryParams(ctx: StackContext, command: "GET_JM_RESOURCE_PARAMS" | "GET_TM_RESOURCE_PARAMS") {
  const args = [...(await javaOpens(ctx)), "-cp", flinkCp(ctx), "org.apache.flink.runtime.util.bash.BashJavaUtils", command, "--configDir", confDir(ctx)];
  let out: string;
  try {
    out = (await run(ctx.java, args, { env: flinkEnv(ctx), maxBuffer: 8 * 2 ** 20 })).stdout;
  } catch (e) {
    throw new StackError("FLINK_MEMORY_CONFIG", `Flink rejected the memory settings (${command}); check TRACKWAY_FLINK_*_MEMORY`, { cause: e });
  }
  const lines = out.split("\n").filter((l) => l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:")).map((l) => l.slice("BASH_JAVA_UTILS_EXEC_RESULT:".length).trim());
  if (lines.length < 2) throw new StackError("FLINK_MEMORY_CONFIG", `unexpected BashJavaUtils output for ${command}:\n${out}`);
  return { jvm: lines[0]!.split(/\s+/), dynamic: lines[1]!.split(/\s+/).filter(Boolean) };
}

const flinkEnv = (ctx: StackContext): NodeJS.ProcessEnv => ({ ...process.env, FLINK_CONF_DIR: confDir(ctx) });

async function startFlinkJvm(ctx: StackContext, name: string, opts: { jvm: string[]; cp: string; main: string; args: string[] }) {
  const logFile = path.join(ctx.paths.logs, `${name}.log`);
  return spawnDetached(ctx.paths.run, {
    name,
    command: ctx.java,
    args: [
      markerOf(ctx, name),
      ...(await javaOpens(ctx)),
      "-XX:+UseG1GC",
      ...opts.jvm,
      `-Dlog.file=${logFile}`,
      `-Dlog4j.configurationFile=${fileUrl(path.join(confDir(ctx), "log4j.properties"))}`,
      "-cp",
      opts.cp,
      opts.main,
      ...opts.args,
    ],
    env: flinkEnv(ctx),
    cwd: ctx.paths.flinkTmp,
    outFile: path.join(ctx.paths.logs, `${name}.out`),
    marker: markerOf(ctx, name),
  });
}

const logs = (name: string) => (ctx: StackContext) => [path.join(ctx.paths.logs, `${name}.out`), path.join(ctx.paths.logs, `${name}.log`)];

/** The Flink JobManager of the session cluster (REST API included). */
export const jobManagerPart: Part = {
  name: "flink-jobmanager",
  label: "Flink JobManager",
  external: (ctx) => ctx.config.external.flink,
  ports: (ctx) => [
    { port: ctx.config.ports.flinkRest, envVar: "TRACKWAY_FLINK_REST_PORT" },
    { port: ctx.config.ports.flinkRpc, envVar: "TRACKWAY_FLINK_RPC_PORT" },
  ],
  logFiles: logs("flink-jobmanager"),
  async start(ctx) {
    await writeFlinkConf(ctx);
    const mem = await memoryParams(ctx, "GET_JM_RESOURCE_PARAMS");
    return startFlinkJvm(ctx, "flink-jobmanager", {
      jvm: mem.jvm,
      cp: flinkCp(ctx),
      main: "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
      args: ["--configDir", confDir(ctx), ...mem.dynamic],
    });
  },
  probe: (ctx) => jobManagerProbe(ctx.config.endpoints.flinkRestUrl),
};

/** The one Flink TaskManager; healthy once `/overview` counts it (with a free slot after a fresh start). */
export const taskManagerPart: Part = {
  name: "flink-taskmanager",
  label: "Flink TaskManager",
  external: (ctx) => ctx.config.external.flink,
  ports: () => [], // RPC and data ports are picked free by Flink
  logFiles: logs("flink-taskmanager"),
  async start(ctx) {
    await writeFlinkConf(ctx); // the same file the JobManager wrote; a TaskManager restarted alone finds it current
    const mem = await memoryParams(ctx, "GET_TM_RESOURCE_PARAMS");
    return startFlinkJvm(ctx, "flink-taskmanager", {
      jvm: mem.jvm,
      cp: flinkCp(ctx),
      main: "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
      args: ["--configDir", confDir(ctx), ...mem.dynamic],
    });
  },
  probe: (ctx, fresh) => flinkProbe(ctx.config.endpoints.flinkRestUrl, fresh),
};

/** The Flink SQL Gateway (REST endpoint) in front of the session cluster. */
export const sqlGatewayPart: Part = {
  name: "sql-gateway",
  label: "Flink SQL Gateway",
  external: (ctx) => ctx.config.external.sqlGateway,
  ports: (ctx) => [{ port: ctx.config.ports.sqlGateway, envVar: "TRACKWAY_SQL_GATEWAY_PORT" }],
  logFiles: logs("sql-gateway"),
  async start(ctx) {
    await writeFlinkConf(ctx); // also when the cluster is external: the gateway reads the same conf
    return startFlinkJvm(ctx, "sql-gateway", {
      jvm: ["-Xms128m", `-Xmx${ctx.config.memory.sqlGatewayHeap}`],
      cp: gatewayCp(ctx),
      main: "org.apache.flink.table.gateway.SqlGateway",
      args: [], // reads $FLINK_CONF_DIR/flink-conf.yaml, as bin/sql-gateway.sh
    });
  },
  probe: (ctx) => sqlGatewayProbe(ctx.config.endpoints.sqlGatewayUrl),
};
