import { randomUUID } from "node:crypto";
import type { Consumer } from "kafkajs";
import { rejectionSummary, type RejectedEventRecord } from "@trackway/envelope";
import { createKafka, type KafkaSecurity } from "@trackway/kafka";
import type { Logger } from "@trackway/runtime";
import type { Rejection } from "../core/failure-summary.js";

/** Options of the rejected-events tail. */
export interface RejectedTailOptions {
  brokers: string[];
  /** SASL/TLS of the console's Kafka user. @default PLAINTEXT */
  security?: KafkaSecurity;
  topic: string;
  /** Most rejections kept per tenant; the oldest go first. */
  perTenant: number;
}

/** The rejected-events topic, read from its start and kept in memory per tenant so the Failures page answers at once. */
export interface RejectedTail {
  /** The tenant's kept rejections, oldest first: summaries, without the event's bytes or header. */
  of(tenant: string): readonly Rejection[];
  /**
   * The tenant's rejected record of an event id, for repair-and-replay, when it is not sealed: the bytes of a sealed
   * record stay sealed (only `trackway events replay` opens them, with the tenant's data key), so it is not kept.
   */
  replayable(tenant: string, eventId: string): RejectedEventRecord | undefined;
  stop(): Promise<void>;
}

/**
 * Starts reading the rejected topic with a fresh consumer group (nothing is committed: every console process reads
 * the whole retained topic). Each record is kept under the tenant ingest stamped on it, which the page then filters
 * by the signed-in key's tenant: a visitor never sees another tenant's rejections.
 */
export async function startRejectedTail(o: RejectedTailOptions, logger: Logger): Promise<RejectedTail> {
  const log = logger.child("rejected-tail");
  const kafka = createKafka({ clientId: "trackway-console", brokers: o.brokers, requestTimeoutMs: 30_000, security: o.security }, log);
  const byTenant = new Map<string, Rejection[]>();
  // Kept apart from the summaries the pages read, and never sent to a page: only the replay route reads them.
  const replayByTenant = new Map<string, Map<string, RejectedEventRecord>>();
  const consumer: Consumer = kafka.consumer({ groupId: `trackway-console-${randomUUID()}`, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topic: o.topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message }) => {
      if (!message.value) return;
      let r: Rejection;
      let full: RejectedEventRecord;
      try {
        // The pages get the summary only: the event's bytes and header never reach them.
        full = JSON.parse(message.value.toString("utf8")) as RejectedEventRecord;
        r = rejectionSummary(full);
      } catch {
        log.warn("rejected record is not JSON", { offset: message.offset });
        return;
      }
      if (typeof r.tenant !== "string" || typeof r.received_at !== "number") return;
      const list = byTenant.get(r.tenant) ?? byTenant.set(r.tenant, []).get(r.tenant)!;
      list.push(r);
      if (list.length > o.perTenant) list.splice(0, list.length - o.perTenant);
      if (full.protection !== "sealed" && full.event_id) {
        const replay = replayByTenant.get(r.tenant) ?? replayByTenant.set(r.tenant, new Map()).get(r.tenant)!;
        replay.delete(full.event_id);
        replay.set(full.event_id, full);
        if (replay.size > o.perTenant) replay.delete(replay.keys().next().value!);
      }
    },
  });
  return {
    of: (tenant) => byTenant.get(tenant) ?? [],
    replayable: (tenant, eventId) => replayByTenant.get(tenant)?.get(eventId),
    stop: () => consumer.disconnect(),
  };
}
