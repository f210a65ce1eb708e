import { userInfo } from "node:os";
import type { Command } from "commander";
import { DeletionRequests, type DeletionRequest } from "@trackway/ingest";
import { stackEndpoints } from "@trackway/stack";
import { cliEnv } from "../env.js";
import { withMigratedPool } from "../database.js";
import { workOpenRequests } from "../privacy/deletion-worker.js";

async function withRequests<T>(url: string, fn: (r: DeletionRequests) => Promise<T>): Promise<T> {
  return withMigratedPool(url, (pool) => fn(new DeletionRequests(pool)));
}

const ids = (r: DeletionRequest) =>
  [r.userId, ...r.anonymousIds.map((a) => `anon:${a}`), ...r.deviceIds.map((d) => `device:${d}`)].filter(Boolean).join(",");
const row = (r: DeletionRequest) =>
  [r.id, r.tenant, ids(r), r.status, r.step || "-", JSON.stringify(r.counts), r.days.join(",") || "-", r.createdAt.toISOString(), r.updatedAt.toISOString(), r.requestedBy, r.error].join("\t");

/** Adds `trackway users delete|requests`: deletion requests (GDPR/CCPA) and the suppression list they feed. */
export function registerUsers(program: Command): void {
  const users = program.command("users").description("End users' personal data: deletion requests and the suppression list.");
  const db = (c: Command) => c.option("--database-url <url>", "postgres:// URL (env DATABASE_URL; default: the local stack's)", cliEnv.DATABASE_URL).option("--json", "print JSON");

  db(users.command("delete"))
    .description(
      "Ask to delete a user everywhere, by user id and/or anonymous and device ids (rows matching any go): ingest rejects " +
        "their new events at once (USER_SUPPRESSED), the tenant's data key is shredded, the deletion worker removes their rows. Idempotent.",
    )
    .requiredOption("--tenant <tenant>", "the tenant")
    .option("--user <userId>", "the user id as the tenant's apps send it")
    .option("--anonymous-id <ids...>", "anonymous ids of the same person (repeatable)")
    .option("--device-id <ids...>", "device ids of the same person (repeatable)")
    .option("--actor <name>", "who asks, for the audit trail", userInfo().username)
    .action(async (opts: { databaseUrl: string; json?: boolean; tenant: string; user?: string; anonymousId?: string[]; deviceId?: string[]; actor: string }) => {
      const subject = { userId: opts.user?.trim() ?? "", anonymousIds: opts.anonymousId ?? [], deviceIds: opts.deviceId ?? [] };
      if (!subject.userId && subject.anonymousIds.every((x) => !x.trim()) && subject.deviceIds.every((x) => !x.trim())) {
        throw new Error("name the user: --user, --anonymous-id or --device-id (not empty)");
      }
      await withRequests(opts.databaseUrl, async (r) => {
        const { request, created } = await r.request(opts.tenant, subject, opts.actor);
        if (opts.json) process.stdout.write(`${JSON.stringify({ ...request, created })}\n`);
        else process.stdout.write(`${created ? "requested" : "already requested"}\t${row(request)}\n`);
      });
    });

  db(users.command("requests"))
    .description("List deletion requests with their status (pending → running → done, or failed with its error), counts and recomputed days.")
    .option("--tenant <tenant>", "only this tenant's")
    .option("--log <id>", "print one request's audit trail instead")
    .action(async (opts: { databaseUrl: string; json?: boolean; tenant?: string; log?: string }) => {
      await withRequests(opts.databaseUrl, async (r) => {
        if (opts.log) {
          const lines = await r.log(Number(opts.log));
          for (const l of lines) process.stdout.write(opts.json ? `${JSON.stringify(l)}\n` : `${l.at.toISOString()}\t${l.status}\t${l.actor}\t${l.note}\n`);
          return;
        }
        const list = await r.list(opts.tenant);
        if (opts.json) process.stdout.write(`${JSON.stringify(list)}\n`);
        else {
          process.stdout.write("id\ttenant\tids\tstatus\tstep\tcounts\tdays\tcreated\tupdated\tby\terror\n");
          for (const x of list) process.stdout.write(`${row(x)}\n`);
        }
      });
    });

  db(users.command("work"))
    .description(
      "Run the deletion worker: delete open requests' users from ods_events and ods_rejected, recompute their DWS days (BATCH), mark them done. " +
        "Resumes a request a killed worker left running and retries failed ones; with --once, exits 1 when one failed.",
    )
    .option("--once", "work the open requests, then exit (default: keep polling)")
    .option("--every <seconds>", "poll interval", "10")
    .option("--topic <topic>", "the enriched-events topic (env TRACKWAY_EVENTS_TOPIC)", process.env.TRACKWAY_EVENTS_TOPIC ?? "trackway.events.v1")
    .option("--hudi-base-path <url>", "base path of the warehouse tables (default: the stack's, env TRACKWAY_HUDI_BASE_PATH)")
    .action(async (opts: { databaseUrl: string; once?: boolean; every: string; topic: string; hudiBasePath?: string }) => {
      const stack = stackEndpoints();
      const wh = {
        sqlGatewayUrl: stack.sqlGatewayUrl,
        flinkRestUrl: stack.flinkRestUrl,
        values: { kafka_brokers: stack.kafkaBrokers.join(","), events_topic: opts.topic, hudi_base_path: opts.hudiBasePath ?? stack.hudiBasePath },
      };
      const log = (l: string) => process.stderr.write(`${l}\n`);
      await withMigratedPool(
        opts.databaseUrl,
        async (pool) => {
          for (;;) {
            const worked = await workOpenRequests(pool, wh, log);
            for (const r of worked) process.stdout.write(`${row(r)}\n`);
            if (opts.once) {
              if (worked.some((r) => r.status === "failed")) process.exitCode = 1;
              break;
            }
            await new Promise((res) => setTimeout(res, Number(opts.every) * 1000));
          }
        },
        { max: 2, applicationName: "trackway-deletion-worker" },
      );
    });
}
