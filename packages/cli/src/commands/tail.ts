import type { Command } from "commander";
import { IngestServiceClient, TailKind, type TailEvent } from "@trackway/proto/ingest/v1";
import { createPromiseClient } from "@trackway/runtime";
import { cliEnv } from "../env.js";
import { note } from "../output.js";

interface TailOpts {
  address: string;
  apiKey?: string;
  event: string[];
  user?: string;
  rejected?: boolean;
  all?: boolean;
  json?: boolean;
  buffer?: string;
}

/** One line for people: time, verdict, name@version, user, id, then properties or reasons. */
export function tailLine(e: TailEvent, now = new Date()): string {
  const record = JSON.parse(e.recordJson) as { warnings?: string[] };
  const who = e.userId ? ` user=${e.userId}` : "";
  const head = `${now.toISOString().slice(11, 23)} ${e.accepted ? "✓" : "✗"} ${e.eventName || "?"}@${e.schemaVersion || "?"}${who} ${e.eventId}`;
  if (!e.accepted) return `${head}${e.propertiesJson ? ` ${e.propertiesJson}` : ""}\n    ${e.reasons.join(", ")}: ${e.message}`;
  const warnings = record.warnings?.length ? `\n    warnings: ${record.warnings.join(", ")}` : "";
  return `${head} ${e.propertiesJson || "{}"}${warnings}`;
}

/** Adds `trackway events tail`: live accepted and rejected events of the key's tenant. */
export function registerTail(events: Command): void {
  events
    .command("tail")
    .description("Show your tenant's events live as ingest accepts (and with --rejected/--all rejects) them; Ctrl-C stops.")
    .option("--address <host:port>", "ingest gRPC address (env TRACKWAY_INGEST_ADDRESS)", cliEnv.TRACKWAY_INGEST_ADDRESS)
    .option("--api-key <key>", "API key of the tenant to watch (env TRACKWAY_API_KEY)", cliEnv.TRACKWAY_API_KEY)
    .option("--event <name>", "only this event name (repeatable)", (v: string, all: string[]) => [...all, v], [] as string[])
    .option("--user <id>", "only events of this user id")
    .option("--rejected", "only rejected events")
    .option("--all", "accepted and rejected events")
    .option("--json", "print each event as one JSON line (the record as written to Kafka, plus accepted/reasons)")
    .option("--buffer <n>", "events the server keeps for this reader before dropping the oldest")
    .action(async (o: TailOpts) => {
      if (!o.apiKey) throw new Error("no API key: pass --api-key or set TRACKWAY_API_KEY (trackway keys create --tenant <t> issues one)");
      if (o.rejected && o.all) throw new Error("--rejected and --all exclude each other");
      const client = createPromiseClient(IngestServiceClient, o.address, { metadata: { "x-api-key": o.apiKey } });
      const abort = new AbortController();
      process.once("SIGINT", () => abort.abort());
      let dropped = 0;
      try {
        const kind = o.all ? TailKind.TAIL_KIND_ALL : o.rejected ? TailKind.TAIL_KIND_REJECTED : TailKind.TAIL_KIND_ACCEPTED;
        for await (const m of client.tail({ eventNames: o.event, userId: o.user ?? "", kind, bufferSize: o.buffer ? Number(o.buffer) : 0 }, { signal: abort.signal })) {
          if (m.kind?.$case === "ready") note(`tailing ${o.all ? "accepted and rejected" : o.rejected ? "rejected" : "accepted"} events at ${o.address} (Ctrl-C stops)`);
          if (m.kind?.$case !== "event") continue;
          const e = m.kind.value;
          if (e.droppedBefore > 0) {
            dropped += e.droppedBefore;
            note(`… ${e.droppedBefore} events dropped: this reader was slower than the events (${dropped} in all)`);
          }
          if (o.json) process.stdout.write(`${JSON.stringify({ accepted: e.accepted, reasons: e.reasons, message: e.message || undefined, record: JSON.parse(e.recordJson) as unknown })}\n`);
          else process.stdout.write(`${tailLine(e)}\n`);
        }
      } finally {
        client.close();
        if (dropped > 0) note(`${dropped} events were dropped in all`);
      }
    });
}
