import { create, type DescMessage } from "@bufbuild/protobuf";
import { createClient, type BatchSentInfo } from "@trackway/client";
import type { PlannedEvent } from "./shop-stream.js";

/** What sending the stream gave back: accepted ids, and the rejected events with their reasons. */
export interface SendOutcome {
  batches: number;
  accepted: number;
  rejected: { eventId: string; reason: string; message: string }[];
  bytes: number;
}

/** Sends the planned events through the SDK in order, each with its own id, time, user and session. */
export async function sendStream(address: string, apiKey: string, messages: Map<string, DescMessage>, planned: PlannedEvent[]): Promise<SendOutcome> {
  const sent: BatchSentInfo[] = [];
  const client = createClient({
    address,
    apiKey,
    schemas: [...messages.values()],
    context: { app: { name: "demo-shop", version: "1.0.0" }, locale: "en-GB" },
    hooks: { onBatchSent: (b) => sent.push(b) },
  });
  for (const e of planned) {
    const message = messages.get(e.name);
    // An unregistered event name has no message type: its properties go as (empty) bytes, as a buggy client would.
    const props = message ? create(message, e.properties as never) : new Uint8Array();
    client.setSession(e.session);
    client.track(e.name, props, { eventId: e.id, eventTime: new Date(e.time), version: e.version, identity: { userId: e.user } });
  }
  await client.close(120_000);
  return {
    batches: sent.length,
    accepted: sent.reduce((n, b) => n + b.result.accepted, 0),
    rejected: sent.flatMap((b) => b.result.rejections.map((r) => ({ eventId: r.eventId, reason: r.reason, message: r.message }))),
    bytes: sent.reduce((n, b) => n + b.bytes, 0),
  };
}
