import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { createClient, sampleMessage, type TrackwayClient } from "@trackway/client";
import { EventHeader } from "@trackway/proto/event/v1";
import { propertiesBytes, propertiesFromJson, type JsonValue } from "@trackway/envelope";
import { createRegistryClient, createSchemaCache, type CachedSchema, type SchemaCache } from "@trackway/registry-client";
import { note, step } from "../output.js";
import { cliEnv } from "../env.js";
import { channelCredentials, tlsOptions, type TlsFlags } from "./tls.js";

/** Where ingest and the registry are, and the key to use; shared by `send` and `events replay`. */
export interface IngestTarget extends TlsFlags {
  address: string;
  apiKey?: string;
  registry: string;
  unary?: boolean;
}

/** Adds the ingest connection options to a command. */
export function ingestOptions(c: Command): Command {
  return tlsOptions(c)
    .option("--address <host:port>", "ingest gRPC address (env TRACKWAY_INGEST_ADDRESS)", cliEnv.TRACKWAY_INGEST_ADDRESS)
    .option("--api-key <key>", "API key, from trackway keys create (env TRACKWAY_API_KEY)", cliEnv.TRACKWAY_API_KEY)
    .option("--registry <host:port>", "registry gRPC address (env TRACKWAY_REGISTRY_ADDRESS)", cliEnv.TRACKWAY_REGISTRY_ADDRESS)
    .option("--unary", "send each batch with SendBatch instead of the Ingest stream");
}

/** What came back for the events sent. */
export interface SendTally {
  batches: number;
  accepted: number;
  rejected: Map<string, number>;
  warnings: Map<string, number>;
  dropped: Map<string, number>;
  rejectedIds: string[];
}

const add = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);

/** A client for the CLI that tallies results; close() it to drain. */
export function cliClient(t: IngestTarget, batchSize = 500): { client: TrackwayClient; tally: SendTally } {
  if (!t.apiKey) throw new Error("no API key: pass --api-key or set TRACKWAY_API_KEY (trackway keys create --tenant <t> issues one)");
  const tally: SendTally = { batches: 0, accepted: 0, rejected: new Map(), warnings: new Map(), dropped: new Map(), rejectedIds: [] };
  const client = createClient({
    address: t.address,
    apiKey: t.apiKey,
    credentials: channelCredentials(t),
    transport: t.unary ? "unary" : "stream",
    maxBatchEvents: batchSize,
    context: { library: { name: "trackway-cli", version: "0.1.0" } },
    backoff: { maxAttempts: 6 },
    hooks: {
      onBatchSent: (b) => {
        tally.batches += 1;
        tally.accepted += b.result.accepted;
        for (const r of b.result.rejections) {
          add(tally.rejected, r.reason);
          tally.rejectedIds.push(r.eventId);
        }
        for (const w of b.result.warnings) add(tally.warnings, w.reason);
      },
      onDrop: (d) => add(tally.dropped, d.message ? `${d.reason}: ${d.message}` : d.reason, d.eventIds.length),
    },
  });
  return { client, tally };
}

/** Prints the tally; throws (one line, non-zero exit) when anything was rejected or dropped. */
export function reportTally(tally: SendTally, sent: number): void {
  const list = (m: Map<string, number>) => [...m].map(([k, n]) => `${k}×${n}`).join(", ");
  process.stdout.write(`${JSON.stringify({ sent, batches: tally.batches, accepted: tally.accepted, rejected: Object.fromEntries(tally.rejected), warnings: Object.fromEntries(tally.warnings), dropped: Object.fromEntries(tally.dropped) })}\n`);
  if (tally.warnings.size > 0) note(`warnings: ${list(tally.warnings)}`);
  if (tally.rejected.size > 0) note(`rejected event ids: ${tally.rejectedIds.slice(0, 10).join(", ")}${tally.rejectedIds.length > 10 ? ", …" : ""} (see trackway events rejected)`);
  const problems = [tally.rejected.size > 0 ? `rejected: ${list(tally.rejected)}` : "", tally.dropped.size > 0 ? `not delivered: ${list(tally.dropped)}` : ""].filter(Boolean);
  if (problems.length > 0) throw new Error(`${tally.accepted} of ${sent} events accepted; ${problems.join("; ")}`);
}

/** Looks a schema up in the registry, turning NOT_FOUND and connection errors into one readable line. */
export async function schemaOf(cache: SchemaCache, registry: string, name: string, version: number): Promise<CachedSchema> {
  try {
    return await cache.get(name, version);
  } catch (e) {
    const err = e as { code?: number; details?: string };
    if (err.code === 5) throw new Error(`"${name}"${version ? ` version ${version}` : ""} is not registered in the registry at ${registry}`);
    throw new Error(`cannot ask the registry at ${registry}: ${err.details ?? String(e)}`);
  }
}

/** One event of a `--file`: the event name, optional version, properties in protobuf JSON and header fields. */
interface FileEvent {
  event: string;
  version?: number;
  properties?: JsonValue;
  event_id?: string;
  event_time?: string;
  user_id?: string;
  anonymous_id?: string;
  device_id?: string;
  session_id?: string;
  attributes?: Record<string, string>;
}

async function readEvents(path: string): Promise<FileEvent[]> {
  const text = (await readFile(path, "utf8")).trim();
  try {
    if (text.startsWith("[")) return JSON.parse(text) as FileEvent[];
    return text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as FileEvent);
  } catch (e) {
    throw new Error(`${path} is not JSON lines or a JSON array of events: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Paces a loop so that the client's queue never overflows (the CLI would rather wait than drop). */
export async function room(client: TrackwayClient): Promise<void> {
  while (client.pending.queued >= 5000) await new Promise((r) => setTimeout(r, 2));
}

/** Adds `trackway send`. */
export function registerSend(program: Command): void {
  ingestOptions(
    program
      .command("send")
      .description("Send sample events of a registered event type, or events from a file, through ingest; prints a JSON tally.")
      .argument("[event]", "event name (registry subject) to send generated sample events of")
      .option("-n, --count <n>", "how many sample events", "10")
      .option("--version <n>", "schema version to encode with (default: the latest active)", "0")
      .option("--file <path>", 'JSON lines or a JSON array: {"event", "version"?, "properties" (protobuf JSON), "event_id"?, "event_time"?, "user_id"?, "anonymous_id"?, "device_id"?, "session_id"?, "attributes"?}')
      .option("--user-id <id>", "user id of sample events (default: a random anonymous id)")
      .option("--batch-size <n>", "events per batch", "500"),
  ).action(async (event: string | undefined, opts: IngestTarget & { count: string; version: string; file?: string; userId?: string; batchSize: string }) => {
    if (!event && !opts.file) throw new Error("name an event to send samples of, or pass --file (see trackway send --help)");
    const registry = createRegistryClient(opts.registry, { timeoutMs: 10_000, apiKey: opts.apiKey, credentials: channelCredentials(opts) });
    const cache = createSchemaCache(registry);
    const { client, tally } = cliClient(opts, Number(opts.batchSize));
    let sent = 0;
    try {
      if (opts.file) {
        const events = await readEvents(opts.file);
        await step(`sending ${events.length} events from ${opts.file} to ${opts.address}`, async () => {
          for (const [i, e] of events.entries()) {
            if (!e.event) throw new Error(`event ${i + 1} of ${opts.file} has no "event" name`);
            const schema = await schemaOf(cache, opts.registry, e.event, e.version ?? 0);
            let bytes: Uint8Array;
            try {
              bytes = propertiesFromJson(schema.message, e.properties ?? {}, schema.registry);
            } catch (x) {
              throw new Error(`event ${i + 1} (${e.event}): properties do not fit ${schema.messageName} v${schema.version}: ${x instanceof Error ? x.message : String(x)}`);
            }
            const header = EventHeader.fromPartial({
              eventId: e.event_id ?? randomUUID(),
              eventName: e.event,
              schemaVersion: schema.version,
              eventTime: e.event_time ? new Date(e.event_time) : new Date(),
              identity: { userId: e.user_id ?? "", anonymousId: e.anonymous_id ?? "", deviceId: e.device_id ?? "" },
              sessionId: e.session_id ?? "",
              context: { library: { name: "trackway-cli", version: "0.1.0" } },
              attributes: e.attributes ?? {},
            });
            await room(client);
            client.enqueue(header, bytes);
            sent += 1;
          }
          await client.close();
        });
      } else {
        const schema = await schemaOf(cache, opts.registry, event!, Number(opts.version));
        const count = Number(opts.count);
        if (!Number.isInteger(count) || count < 1) throw new Error(`--count must be a positive integer, got ${opts.count}`);
        client.identify(opts.userId ? { userId: opts.userId } : { anonymousId: `cli-${randomUUID().slice(0, 8)}` });
        await step(`sending ${count} sample ${event} events (v${schema.version}) to ${opts.address}`, async () => {
          for (let i = 0; i < count; i++) {
            await room(client);
            client.track(event!, propertiesBytes(schema.message, sampleMessage(schema.message, i)), { version: schema.version });
            sent += 1;
          }
          await client.close();
        });
      }
    } finally {
      await client.close(1000);
      cache.close();
      registry.close();
    }
    reportTally(tally, sent);
  });
}
