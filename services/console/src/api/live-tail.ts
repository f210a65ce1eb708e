import type { IncomingMessage, ServerResponse } from "node:http";
import { IngestServiceClient, TailKind, type TailEvent } from "@trackway/proto/ingest/v1";
import { createPromiseClient } from "@trackway/runtime";
import { badRequest } from "../errors.js";
import { errorAnswer } from "../http/respond.js";
import type { LiveEvent } from "./wire.js";

export type { LiveEvent };

const KINDS: Record<string, TailKind> = { accepted: TailKind.TAIL_KIND_ACCEPTED, rejected: TailKind.TAIL_KIND_REJECTED, all: TailKind.TAIL_KIND_ALL };

const parsed = (json: string): unknown => {
  if (!json) return null;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
};

/** The tail's event as the page shows it. */
export function liveEvent(e: TailEvent, seenAt: number): LiveEvent {
  return {
    accepted: e.accepted,
    eventId: e.eventId,
    eventName: e.eventName,
    schemaVersion: e.schemaVersion,
    userId: e.userId,
    reasons: e.reasons,
    message: e.message,
    properties: parsed(e.propertiesJson),
    record: parsed(e.recordJson),
    droppedBefore: Number(e.droppedBefore),
    seenAt,
  };
}

/** The tail request of the page's query string: `event` (comma separated), `user`, `kind` = accepted | rejected | all. */
export function tailRequest(q: URLSearchParams): { eventNames: string[]; userId: string; kind: TailKind; bufferSize: number } {
  const kind = KINDS[q.get("kind") ?? "all"];
  if (kind === undefined) throw badRequest("kind must be accepted, rejected or all");
  const eventNames = (q.get("event") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return { eventNames, userId: (q.get("user") ?? "").trim(), kind, bufferSize: 0 };
}

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * Streams ingest's live tail to the browser as server-sent events (`ready`, `event`, `failed`) with the visitor's
 * key, until the page closes the connection. The request is validated before anything is sent.
 */
export async function streamLiveTail(ingestAddress: string, apiKey: string, req: IncomingMessage, res: ServerResponse, q: URLSearchParams): Promise<void> {
  const request = tailRequest(q);
  const client = createPromiseClient(IngestServiceClient, ingestAddress, { metadata: { "x-api-key": apiKey } });
  const abort = new AbortController();
  req.once("close", () => abort.abort());
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive" });
  res.write(": tail\n\n");
  // Keeps proxies and the browser from timing an idle tail out.
  const ping = setInterval(() => res.write(": ping\n\n"), 15_000);
  try {
    for await (const m of client.tail(request, { signal: abort.signal })) {
      if (m.kind?.$case === "ready") res.write(frame("ready", {}));
      else if (m.kind?.$case === "event") res.write(frame("event", liveEvent(m.kind.value, Date.now())));
    }
  } catch (e) {
    if (!abort.signal.aborted) res.write(frame("failed", errorAnswer(e).body));
  } finally {
    clearInterval(ping);
    client.close();
    res.end();
  }
}
