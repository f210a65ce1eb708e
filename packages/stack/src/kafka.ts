import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { StackError } from "./errors.js";
import { kafkaProbe } from "./health.js";
import { kafkaListener, kafkaSecurityProperties, scramFormatArgs, stackKafkaSecurity } from "./kafka-sasl.js";
import { markerOf, type Part, type StackContext } from "./part.js";
import { spawnDetached } from "./process.js";
import { renderTemplate } from "./render.js";

const run = promisify(execFile);
const classpath = (ctx: StackContext) => path.join(ctx.paths.lib, "kafka", "*");

/** Formats the KRaft log dir once (StorageTool `format`), as bin/kafka-storage.sh would. */
async function formatStorage(ctx: StackContext, serverProps: string): Promise<void> {
  if (existsSync(path.join(ctx.paths.kafkaData, "meta.properties"))) return;
  await mkdir(ctx.paths.kafkaData, { recursive: true });
  const cp = ["-cp", classpath(ctx)];
  const log4j = `-Dlog4j.configuration=file:${path.join(ctx.paths.conf, "kafka-log4j.properties")}`;
  const kafkaLogs = `-Dkafka.logs.dir=${ctx.paths.logs}`;
  try {
    const id = (await run(ctx.java, [log4j, kafkaLogs, ...cp, "kafka.tools.StorageTool", "random-uuid"])).stdout.trim();
    const r = await run(ctx.java, [log4j, kafkaLogs, ...cp, "kafka.tools.StorageTool", "format", "-t", id, "-c", serverProps, ...scramFormatArgs(ctx.config.kafkaSasl)]);
    await writeFile(path.join(ctx.paths.logs, "kafka-format.log"), r.stdout + r.stderr);
  } catch (e) {
    throw new StackError("KAFKA_FORMAT_FAILED", `formatting Kafka's log dir ${ctx.paths.kafkaData} failed; run down --purge and up again`, { cause: e });
  }
}

/** The Kafka broker, KRaft mode: one node that is broker and controller. */
export const kafkaPart: Part = {
  name: "kafka",
  label: "Kafka",
  external: (ctx) => ctx.config.external.kafka,
  ports: (ctx) => [
    { port: ctx.config.ports.kafka, envVar: "TRACKWAY_KAFKA_PORT" },
    { port: ctx.config.ports.kafkaController, envVar: "TRACKWAY_KAFKA_CONTROLLER_PORT" },
  ],
  logFiles: (ctx) => [path.join(ctx.paths.logs, "kafka.out"), path.join(ctx.paths.logs, "kafka.log")],
  async start(ctx) {
    const { config, paths } = ctx;
    const serverProps = path.join(paths.conf, "kafka-server.properties");
    await renderTemplate(path.join(paths.pomDir, "conf", "kafka-server.properties"), serverProps, {
      host: config.host,
      kafkaPort: config.ports.kafka,
      controllerPort: config.ports.kafkaController,
      dataDir: paths.kafkaData,
      listener: kafkaListener(config.kafkaSasl),
      security: kafkaSecurityProperties(config.kafkaSasl),
    });
    await copyFile(path.join(paths.pomDir, "conf", "kafka-log4j.properties"), path.join(paths.conf, "kafka-log4j.properties"));
    await formatStorage(ctx, serverProps);
    return spawnDetached(paths.run, {
      name: "kafka",
      command: ctx.java,
      args: [
        markerOf(ctx, "kafka"),
        "-Xms128m",
        `-Xmx${config.memory.kafkaHeap}`,
        // As kafka-run-class.sh: G1 with short pauses.
        "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=20",
        "-XX:InitiatingHeapOccupancyPercent=35",
        "-Djava.awt.headless=true",
        `-Dkafka.logs.dir=${paths.logs}`,
        `-Dlog4j.configuration=file:${path.join(paths.conf, "kafka-log4j.properties")}`,
        "-cp",
        classpath(ctx),
        "kafka.Kafka",
        serverProps,
      ],
      outFile: path.join(paths.logs, "kafka.out"),
      marker: markerOf(ctx, "kafka"),
    });
  },
  probe: (ctx) =>
    kafkaProbe(ctx.config.endpoints.kafkaBrokers, ctx.config.external.kafka ? ctx.config.externalKafkaSecurity : stackKafkaSecurity(ctx.config.kafkaSasl)),
};
