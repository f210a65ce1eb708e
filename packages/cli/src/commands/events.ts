import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { RejectedEventRecord } from "@trackway/ingest";
import { EventHeader } from "@trackway/proto/event/v1";
import { decodeReplayProperties, rebuildRejected, rejectedEventBytes, repairEvent, type DataKey, type Repair, type ReplaySchemaLookup } from "@trackway/envelope";
import { createPool, type Pool } from "@trackway/db";
import { TenantDataKeys } from "@trackway/ingest";
import { createRegistryClient, createSchemaCache } from "@trackway/registry-client";
import { note, step } from "../output.js";
import { addEventStats } from "./event-stats.js";
import { cliClient, ingestOptions, reportTally, room, schemaOf, type IngestTarget } from "./send.js";
import { cliEnv, cliKafkaSecurity } from "../env.js";
import { readRejected } from "./rejected-reader.js";
import { registerTail } from "./tail.js";

interface SourceOpts {
  brokers: string;
  topic: string;
  reason?: string;
  eventName?: string;
  tenant?: string;
  limit?: string;
  fromFile?: string;
}

const csv = (s: string | undefined) => (s ? s.split(",").map((x) => x.trim()).filter(Boolean) : []);

function sourceOptions(c: Command): Command {
  return c
    .option("--brokers <list>", "Kafka brokers (env TRACKWAY_KAFKA_BROKERS)", cliEnv.TRACKWAY_KAFKA_BROKERS)
    .option("--topic <topic>", "rejected-events topic", "trackway.events.rejected.v1")
    .option("--reason <codes>", "only these reason codes, comma-separated (e.g. UNKNOWN_SCHEMA_VERSION)")
    .option("--event-name <name>", "only events of this name")
    .option("--tenant <tenant>", "only this tenant's events")
    .option("--limit <n>", "at most this many events");
}

/** Whether a rejected record passes the source filters (--reason, --event-name, --tenant). */
function picker(o: SourceOpts): (r: RejectedEventRecord) => boolean {
  const reasons = new Set(csv(o.reason));
  return (r) => (reasons.size === 0 || r.reasons.some((x) => reasons.has(x))) && (!o.eventName || r.event_name === o.eventName) && (!o.tenant || r.tenant === o.tenant);
}

/** The rejected events to work on, all at once: from the topic or from a file `events rejected` wrote (maybe edited), filtered. */
async function rejectedEvents(o: SourceOpts): Promise<RejectedEventRecord[]> {
  const all: RejectedEventRecord[] = [];
  if (o.fromFile) all.push(...(await readFile(o.fromFile, "utf8")).split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as RejectedEventRecord));
  else await step(`reading ${o.topic}`, () => readRejected({ brokers: csv(o.brokers), security: cliKafkaSecurity(), topic: o.topic, onChunk: async (records) => void all.push(...records) }));
  const picked = all.filter(picker(o));
  return o.limit ? picked.slice(0, Number(o.limit)) : picked;
}

/** Tenants' data keys for opening sealed records, read from PostgreSQL only when a sealed record comes up. */
class KeyRing {
  private pool: Pool | undefined;
  private readonly keys = new Map<string, Promise<DataKey | undefined>>();
  constructor(private readonly databaseUrl: string | undefined) {}

  /** The record's event bytes, opened when sealed; undefined when sealed with a key that is gone (shredded). */
  async bytes(r: RejectedEventRecord): Promise<{ original: Uint8Array; common: Uint8Array } | undefined> {
    let key: DataKey | undefined;
    if (r.protection === "sealed") {
      if (!this.databaseUrl) throw new Error("a sealed rejected record needs the tenant's data key: give --database-url (env DATABASE_URL)");
      this.pool ??= createPool(this.databaseUrl, { max: 1, applicationName: "trackway-cli" });
      const pool = this.pool;
      if (!this.keys.has(r.tenant)) this.keys.set(r.tenant, new TenantDataKeys(pool).find(r.tenant));
      key = await this.keys.get(r.tenant);
    }
    const b = rejectedEventBytes(r, key);
    return b.ok ? b : undefined;
  }

  async close(): Promise<void> {
    await this.pool?.end();
  }
}

/** Adds `trackway events tail`, `trackway events rejected` and `trackway events replay`. */
export function registerEvents(program: Command): void {
  const events = program.command("events").description("Events live (tail); rejected events: look at them, repair them, send them again; outcome counts (stats).");
  registerTail(events);
  addEventStats(events);

  sourceOptions(events.command("rejected"))
    .description("Print rejected events as JSON lines (with properties_json when the properties decode); save, edit, then `events replay --from-file`.")
    .option("--registry <host:port>", "registry gRPC address (env TRACKWAY_REGISTRY_ADDRESS)", cliEnv.TRACKWAY_REGISTRY_ADDRESS)
    .option("--api-key <key>", "API key with schemas:read, to decode properties (env TRACKWAY_API_KEY)", cliEnv.TRACKWAY_API_KEY)
    .action(async (opts: SourceOpts & { registry: string; apiKey?: string }) => {
      const registry = createRegistryClient(opts.registry, { timeoutMs: 10_000, apiKey: opts.apiKey });
      const cache = createSchemaCache(registry);
      try {
        const list = await rejectedEvents(opts);
        for (const r of list) {
          // A sealed record stays sealed here: printing it opened would put raw personal data in a file. Replay opens it.
          const e = r.protection === "sealed" ? undefined : rebuildRejected(r, { original: Buffer.from(r.original, "base64"), common: Buffer.from(r.common ?? "", "base64") });
          const json = e && r.event_name ? await decodeReplayProperties((n, v) => cache.get(n, v), r.event_name, r.schema_version ?? 0, e.properties) : undefined;
          process.stdout.write(`${JSON.stringify(json === undefined ? r : { ...r, properties_json: json })}\n`);
        }
        note(`${list.length} rejected events`);
      } finally {
        cache.close();
        registry.close();
      }
    });

  ingestOptions(sourceOptions(events.command("replay")))
    .description(
      "Re-send rejected events through ingest, with the same event ids, after repairs: --fixes applies a JSON file of " +
        'repairs ({"<event_id>" or "*": {"header": {"eventName": "...", "schemaVersion": 2}, "properties": {...}}}), ' +
        "--to-version re-encodes the properties for another version (properties whose own version is unknown are relabelled as is).",
    )
    .option("--from-file <path>", "JSON lines written by `trackway events rejected` (possibly edited) instead of the topic")
    .option("--fixes <path>", "JSON file of repairs by event id ('*' for all)")
    .option("--to-version <n|latest>", "re-encode properties for this schema version")
    .option("--dry-run", "print the repaired events as JSON lines instead of sending them")
    .option("--database-url <url>", "postgres:// URL holding tenants' data keys, to open sealed records (env DATABASE_URL)", cliEnv.DATABASE_URL)
    .option(
      "--checkpoint <name>",
      "resume from where the last run with this name stopped and record progress as events are acknowledged (a consumer group trackway-replay-<name>); without it the whole topic is read",
    )
    .action(async (opts: SourceOpts & IngestTarget & { fixes?: string; toVersion?: string; dryRun?: boolean; checkpoint?: string; databaseUrl?: string }) => {
      if (opts.checkpoint && (opts.fromFile || opts.dryRun)) throw new Error("--checkpoint records what was replayed: it needs the topic as source and no --dry-run");
      const fixes = opts.fixes ? (JSON.parse(await readFile(opts.fixes, "utf8")) as Record<string, Repair>) : {};
      const registry = createRegistryClient(opts.registry, { timeoutMs: 10_000, apiKey: opts.apiKey });
      const cache = createSchemaCache(registry);
      const schemas: ReplaySchemaLookup = (name, version) => schemaOf(cache, opts.registry, name, version);
      const { client, tally } = opts.dryRun ? { client: undefined, tally: undefined } : cliClient(opts);
      const wanted = picker(opts);
      const limit = opts.limit ? Number(opts.limit) : Number.POSITIVE_INFINITY;
      let sent = 0;
      let printed = 0;
      const skipped: string[] = [];
      const keys = new KeyRing(opts.databaseUrl);
      /** Repairs and sends (or prints) one rejected event. */
      const replayOne = async (r: RejectedEventRecord) => {
        const bytes = await keys.bytes(r);
        if (!bytes) {
          skipped.push(`${r.batch_id}#${r.index} (${r.reason}: sealed with data key ${r.key_id ?? "?"}, which is gone: shredded by a deletion request)`);
          return;
        }
        const e = rebuildRejected(r, bytes);
        if (!e) {
          skipped.push(`${r.batch_id}#${r.index} (${r.reason}: original bytes unreadable)`);
          return;
        }
        const target = opts.toVersion === undefined ? undefined : opts.toVersion === "latest" ? 0 : Number(opts.toVersion);
        const { header, properties } = await repairEvent(e, { ...fixes["*"], ...fixes[e.header.eventId] }, target, schemas);
        if (!client) {
          printed += 1;
          process.stdout.write(`${JSON.stringify({ header: EventHeader.toJSON(header), properties: Buffer.from(properties).toString("base64") })}\n`);
          return;
        }
        await room(client);
        client.enqueue(header, properties);
        sent += 1;
      };
      try {
        if (opts.fromFile) {
          for (const r of await rejectedEvents(opts)) await replayOne(r);
        } else {
          // Chunk by chunk: each chunk is acknowledged by ingest before the checkpoint moves past it.
          const done = await readRejected({
            brokers: csv(opts.brokers),
            security: cliKafkaSecurity(),
            topic: opts.topic,
            checkpoint: opts.checkpoint,
            onChunk: async (records, p) => {
              for (const r of records) if (wanted(r) && sent + printed < limit) await replayOne(r);
              await client?.flush();
              note(`… ${p.read}/${p.total} rejected records read (${Math.round((100 * p.read) / Math.max(1, p.total))}%), ${sent} replayed`);
            },
          });
          if (done.total === 0) note(opts.checkpoint ? `nothing new on ${opts.topic} since checkpoint "${opts.checkpoint}"` : `${opts.topic} is empty`);
        }
        if (client) await step(`replaying ${sent} events through ${opts.address}`, () => client.close());
      } finally {
        await client?.close(1000);
        await keys.close();
        cache.close();
        registry.close();
      }
      for (const s of skipped) note(`skipped ${s}`);
      if (tally) reportTally(tally, sent);
    });
}
