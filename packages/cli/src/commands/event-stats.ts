import { credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import type { Command } from "commander";
import { IngestServiceClient, type GetEventStatsResponse } from "@trackway/proto/ingest/v1";
import { note } from "../output.js";

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30m`, `6h`, `7d` as milliseconds; throws a sentence on anything else. */
export function parseSpan(s: string): number {
  const m = /^(\d+)([mhd])$/.exec(s.trim());
  if (!m) throw new Error(`"${s}" is not a span such as 30m, 6h or 7d`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

/** Adds `trackway events stats`: per-minute counts by event, version, key and outcome, summed over the window. */
export function addEventStats(events: Command): void {
  events
    .command("stats")
    .description("Events of your tenant by event name × version × API key × outcome (accepted, warned, rejected) over the last --since; --per-minute lists each minute.")
    .option("--address <host:port>", "ingest gRPC address (env TRACKWAY_INGEST_ADDRESS)", process.env.TRACKWAY_INGEST_ADDRESS ?? "127.0.0.1:50051")
    .option("--api-key <key>", "API key, from trackway keys create (env TRACKWAY_API_KEY)", process.env.TRACKWAY_API_KEY)
    .option("--since <span>", "window ending now: 30m, 6h, 7d", "1h")
    .option("--event <name>", "only this event name")
    .option("--per-minute", "one line per minute instead of totals")
    .option("--json", "print the rows as JSON lines")
    .action(async (o: { address: string; apiKey?: string; since: string; event?: string; perMinute?: boolean; json?: boolean }) => {
      if (!o.apiKey) throw new Error("give --api-key (or TRACKWAY_API_KEY)");
      const to = new Date();
      const from = new Date(to.getTime() - parseSpan(o.since));
      const client = new IngestServiceClient(o.address, credentials.createInsecure());
      const md = new Metadata();
      md.set("x-api-key", o.apiKey);
      try {
        const res = await new Promise<GetEventStatsResponse>((resolve, reject) =>
          client.getEventStats({ from, to, eventName: o.event ?? "" }, md, { deadline: Date.now() + 15_000 }, (e: ServiceError | null, r?: GetEventStatsResponse) => (e ? reject(e) : resolve(r!))),
        );
        if (o.json) {
          for (const r of res.rows) process.stdout.write(`${JSON.stringify(r)}\n`);
          return;
        }
        const totals = new Map<string, number>();
        for (const r of res.rows) {
          const k = [o.perMinute ? r.minute!.toISOString().slice(0, 16) : "", r.eventName, `v${r.schemaVersion}`, r.keyId, r.outcome].filter(Boolean).join("\t");
          totals.set(k, (totals.get(k) ?? 0) + r.events);
        }
        for (const [k, n] of totals) process.stdout.write(`${k}\t${n}\n`);
        note(`${totals.size} rows, ${from.toISOString()} – ${to.toISOString()}`);
      } finally {
        client.close();
      }
    });
}
