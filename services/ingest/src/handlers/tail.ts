import type { ServerWritableStream } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import { requireScope, type Authenticate } from "@trackway/auth";
import type { TailRequest, TailResponse } from "@trackway/proto/ingest/v1";
import { serverStreaming, TrackwayError, type Logger } from "@trackway/runtime";
import type { Kafka } from "kafkajs";
import { rejectedPropertiesJson } from "../core/rejected-properties.js";
import type { RejectedEventRecord } from "../core/rejected-record.js";
import type { SchemaLookup } from "../core/schema-lookup.js";
import { TailBuffer } from "../core/tail-buffer.js";
import { tailEventOf, tailFilter } from "../core/tail-filter.js";
import { openTopicTail, type TailTopics } from "../store/topic-tail.js";

/** What the Tail RPC needs. */
export interface TailDeps {
  authenticate: Authenticate;
  /** Decodes rejected events' properties when they still decode. */
  schemas: SchemaLookup;
  kafka: () => Kafka;
  topics: TailTopics;
  /** Default and largest buffer of one reader, in events. */
  bufferSize: number;
  /** Most tails open at once on this instance (each reads both topics). */
  maxTails: number;
  /** Aborted when ingest stops: open tails end so that shutdown does not wait for them. */
  stopping: AbortSignal;
  logger: Logger;
}

/** Tail: the caller's tenant's events from now on, filtered on the server, through a bounded buffer per reader. */
export function tail(deps: TailDeps) {
  let open = 0;
  return serverStreaming<TailRequest, TailResponse>(async function* (req, call: ServerWritableStream<TailRequest, TailResponse>, signal) {
    const principal = requireScope(await deps.authenticate(call), "query:read");
    if (open >= deps.maxTails) throw new TrackwayError(status.RESOURCE_EXHAUSTED, "TOO_MANY_TAILS", `this ingest instance already serves ${deps.maxTails} tails; try again later`);
    open += 1;
    const filter = tailFilter(principal.tenant, req);
    const buffer = new TailBuffer<NonNullable<ReturnType<typeof tailEventOf>>>(Math.min(req.bufferSize || deps.bufferSize, deps.bufferSize));
    let reader: Awaited<ReturnType<typeof openTopicTail>> | undefined;
    try {
      reader = await openTopicTail(deps.kafka(), deps.topics, (accepted, value) => {
        const event = tailEventOf(filter, accepted, value);
        if (event) buffer.push(event);
      }, deps.logger).catch((e: unknown) => {
        throw new TrackwayError(status.UNAVAILABLE, "TAIL_UNAVAILABLE", "cannot read the event topics right now", { cause: e });
      });
      deps.logger.info("tail opened", { tenant: principal.tenant, keyId: principal.keyId });
      yield { kind: { $case: "ready", value: {} } };
      for await (const { item, droppedBefore } of buffer.drain(AbortSignal.any([signal, deps.stopping]))) {
        // Decoded here, on this reader's time: the topic reader only filters and buffers.
        const propertiesJson = item.accepted ? item.propertiesJson : await rejectedPropertiesJson(deps.schemas, JSON.parse(item.recordJson) as RejectedEventRecord, item.eventName, item.schemaVersion);
        yield { kind: { $case: "event", value: { ...item, propertiesJson, droppedBefore } } };
      }
    } finally {
      open -= 1;
      buffer.close();
      await reader?.close();
      deps.logger.info("tail closed", { tenant: principal.tenant, dropped: buffer.droppedTotal });
    }
  }, deps.logger);
}
