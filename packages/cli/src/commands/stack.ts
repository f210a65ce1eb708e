import type { Command } from "commander";
import { topicRetention } from "@trackway/ingest";
import { createKafka } from "@trackway/kafka";
import { cliKafkaSecurity } from "../env.js";
import { silentLogger } from "@trackway/runtime";
import { down, engineParts, serviceParts, stackEndpoints, stackServiceEnvironment, status, tailLogs, up } from "@trackway/stack";

/** The shared topics and how long Kafka keeps their events (ingest's TRACKWAY_EVENTS_RETENTION / TRACKWAY_REJECTED_RETENTION). */
async function retentions(): Promise<{ topic: string; retention: string }[]> {
  const topics = [process.env.TRACKWAY_EVENTS_TOPIC ?? "trackway.events.v1", process.env.TRACKWAY_REJECTED_TOPIC ?? "trackway.events.rejected.v1"];
  const kafka = createKafka({ brokers: stackEndpoints().kafkaBrokers, clientId: "trackway-cli-status", requestTimeoutMs: 5000, security: cliKafkaSecurity() }, silentLogger);
  const r = await topicRetention(kafka, topics).catch(() => undefined);
  const human = (ms: number | undefined) => (ms === undefined ? (r ? "no topic yet" : "unknown (Kafka unreachable)") : ms < 0 ? "forever" : `${Math.round(ms / 3_600_000)}h`);
  return topics.map((topic) => ({ topic, retention: human(r?.get(topic)) }));
}

/** `value` as one POSIX shell word. */
export const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

/** `trackway stack up|down|status|env`: the local engines (Kafka, Flink, SQL Gateway, PostgreSQL) and the services. */
export function registerStack(program: Command): void {
  const stack = program
    .command("stack")
    .description("start, stop and inspect the local platform: Kafka, Flink + SQL Gateway, Hudi, PostgreSQL and the Trackway services");

  stack
    .command("up")
    .description("start whatever is not running (a second call returns at once); downloads jars from Maven Central the first time")
    .option("--engines-only", "start Kafka, Flink and PostgreSQL but not the registry, ingest and compute gateway")
    .action(async (opts: { enginesOnly?: boolean }) => {
      const r = await up({ parts: engineParts });
      if (!opts.enginesOnly) await up({ parts: serviceParts });
      const e = r.endpoints;
      console.log(`kafka ${e.kafkaBrokers.join(",")} · flink ${e.flinkRestUrl} · sql gateway ${e.sqlGatewayUrl}`);
      console.log(`hudi ${e.hudiBasePath} · postgres ${e.databaseUrl.replace(/:[^:@/]*@/, ":***@")}`);
      if (!opts.enginesOnly) console.log("registry 127.0.0.1:50052 (REST :8091) · ingest 127.0.0.1:50051 · compute gateway 127.0.0.1:50053");
    });

  stack
    .command("down")
    .description("stop the services and the engines, checking that no process is left")
    .option("--purge", "also delete the state directory: data, logs, jars")
    .action(async (opts: { purge?: boolean }) => {
      await down({ purge: Boolean(opts.purge) });
    });

  stack
    .command("env")
    .description('print the settings a service started by hand needs to use the local stack: eval "$(npx trackway stack env)"')
    .option("--json", "print them as one JSON object")
    .action((opts: { json?: boolean }) => {
      const env = stackServiceEnvironment();
      if (opts.json) console.log(JSON.stringify(env, null, 2));
      else for (const [k, v] of Object.entries(env)) console.log(`export ${k}=${shellQuote(v)}`);
    });

  stack
    .command("status")
    .description("show each part: running, unhealthy, stopped or dead (with its last log lines); exits 3 when not all are up")
    .option("--json", "print the status as JSON")
    .action(async (opts: { json?: boolean }) => {
      const s = await status({ parts: [...engineParts, ...serviceParts] });
      const topics = s.up ? await retentions() : [];
      if (opts.json) {
        console.log(JSON.stringify({ ...s, topics }, null, 2));
      } else {
        console.log(`state dir ${s.stateDir}: ${s.up ? "up" : "not up"}`);
        for (const p of s.parts) {
          const pid = p.pid ? ` pid ${p.pid}` : "";
          console.log(`  ${p.label.padEnd(26)} ${p.state.padEnd(9)}${pid} ports ${p.ports.join(",")}${p.problem ? ` (${p.problem})` : ""}`);
          if (p.state === "dead") console.log(await tailLogs(p.logFiles, 10));
        }
        for (const t of topics) console.log(`  topic ${t.topic.padEnd(28)} keeps events ${t.retention}`);
      }
      if (!s.up) process.exitCode = 3;
    });
}
