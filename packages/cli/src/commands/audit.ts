import type { Command } from "commander";
import { SqlGatewayClient } from "@trackway/flink";
import { stackEndpoints } from "@trackway/stack";
import { loadWarehouse, runAudit } from "@trackway/warehouse";
import { flinkKafkaOptions } from "@trackway/kafka";
import { cliKafkaSecurity } from "../env.js";
import { note, step } from "../output.js";

interface AuditOpts {
  tenant: string;
  from: string;
  to?: string;
  limit: string;
  topic: string;
  sqlGateway?: string;
  brokers?: string;
  hudiBasePath?: string;
  json?: boolean;
}

function time(text: string, flag: string): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new Error(`${flag} ${text}: expected an ISO time such as 2026-11-30T10:00:00Z`);
  return d;
}

/** Adds `trackway audit`: acknowledged events of a tenant against the rows of ods_events, the difference listed. */
export function registerAudit(program: Command): void {
  program
    .command("audit")
    .description(
      "Reconcile a tenant's acknowledged events (received in [--from, --to), read from the events topic) against ods_events: " +
        "counts, duplicates and every missing event id. Exits 1 when an acknowledged event is missing.",
    )
    .requiredOption("--tenant <tenant>", "the tenant to audit")
    .requiredOption("--from <time>", "first receive time, inclusive (ISO 8601)")
    .option("--to <time>", "last receive time, exclusive (ISO 8601; default now)")
    .option("--limit <n>", "list at most this many missing events", "100")
    .option("--topic <topic>", "the enriched-events topic (env TRACKWAY_EVENTS_TOPIC)", process.env.TRACKWAY_EVENTS_TOPIC ?? "trackway.events.v1")
    .option("--sql-gateway <url>", "Flink SQL Gateway (default: the stack's, env TRACKWAY_SQL_GATEWAY_URL)")
    .option("--brokers <list>", "Kafka brokers (default: the stack's, env TRACKWAY_KAFKA_BROKERS)")
    .option("--hudi-base-path <url>", "base path of the warehouse tables (default: the stack's, env TRACKWAY_HUDI_BASE_PATH)")
    .option("--json", "print the report as JSON")
    .action(async (o: AuditOpts) => {
      const stack = stackEndpoints();
      const range = { tenant: o.tenant, from: time(o.from, "--from"), to: o.to ? time(o.to, "--to") : new Date() };
      const values = {
        kafka_brokers: o.brokers ?? stack.kafkaBrokers.join(","),
        events_topic: o.topic,
        hudi_base_path: o.hudiBasePath ?? stack.hudiBasePath,
      };
      const session = await new SqlGatewayClient({ baseUrl: o.sqlGateway ?? stack.sqlGatewayUrl }).openSession({ name: "trackway-audit" });
      try {
        const report = await step(`auditing ${o.tenant} from ${range.from.toISOString()} to ${range.to.toISOString()}`, async () =>
          runAudit(session, await loadWarehouse(undefined, { kafkaOptions: flinkKafkaOptions(cliKafkaSecurity()) }), values, range, Number(o.limit)),
        );
        if (o.json) process.stdout.write(`${JSON.stringify(report)}\n`);
        else {
          process.stdout.write(`acknowledged ${report.acknowledged}\tin ods_events ${report.stored}\tmissing ${report.acknowledged - report.stored}\tduplicates ${report.duplicates}\n`);
          for (const m of report.missing) process.stdout.write(`missing\t${m.eventId}\t${m.receivedAt}\n`);
          if (report.missing.length < report.acknowledged - report.stored) note(`listed ${report.missing.length}; raise --limit for more`);
        }
        if (report.acknowledged > report.stored || report.duplicates > 0) process.exitCode = 1;
      } finally {
        await session.close().catch(() => {});
      }
    });
}
