import type { Kafka, Message, Producer, TopicMessages } from "kafkajs";
import type { Logger } from "@trackway/runtime";
import type { RecordSpec } from "../core/process-batch.js";
import { ensureTopics, type TopicSettings } from "./topics.js";

/** The records of one gRPC batch, for both topics. */
export interface BatchRecords {
  events: RecordSpec[];
  rejected: RecordSpec[];
  /** Bytes of JSON, to size produce requests. */
  bytes: number;
}

/** What the producer reports for metrics. */
export interface ProduceObserver {
  /** One produce request finished: how long it took, how many records and gRPC batches it carried, whether Kafka acknowledged it. */
  onProduce(seconds: number, records: number, batches: number, ok: boolean): void;
}

/** How the producer groups and sends. */
export interface EventProducerOptions {
  topics: TopicSettings;
  /** Records of several gRPC batches go into one produce request up to this many bytes of JSON. */
  maxRequestBytes: number;
  /** How long the broker may wait for all in-sync replicas before answering, ms. */
  ackTimeoutMs: number;
  /** Whether to create missing topics before the first produce. */
  createTopics: boolean;
  logger: Logger;
  observer?: ProduceObserver;
}

interface Pending {
  records: BatchRecords;
  resolve: () => void;
  reject: (e: unknown) => void;
}

const toMessage = (r: RecordSpec): Message => ({ key: r.key, value: r.value, headers: r.headers });

/**
 * The idempotent Kafka producer behind ingest (acks=all, one request in flight per broker, as kafkajs
 * requires for idempotence). Batches that arrive while a request is in flight are sent together in the next
 * one (group commit): one network round trip for many gRPC batches, never one per event. A batch's promise
 * resolves only once Kafka acknowledged every record of the request that carried it.
 *
 * After any failed request the producer is replaced by a new one with a new producer id. kafkajs rolls its
 * sequence numbers back after a failure; reusing them for other records after a request that did reach the
 * log would make the broker drop those records as duplicates, silently. A fresh producer id cannot collide.
 */
export class EventProducer {
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;
  private topicsReady = false;
  private readonly queue: Pending[] = [];
  private sending = false;
  private idle: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: EventProducerOptions,
  ) {}

  /** Produces a batch's records; resolves when Kafka acknowledged all of them, rejects with the Kafka error otherwise. */
  produce(records: BatchRecords): Promise<void> {
    if (records.events.length === 0 && records.rejected.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      void this.pump();
    });
  }

  /** Connects ahead of the first batch and creates the topics; failures are logged, and retried by the first produce. */
  async warmUp(): Promise<void> {
    try {
      await this.connected();
    } catch (e) {
      this.options.logger.warn("kafka not reachable yet; will retry on the first batch", { err: String(e) });
      await this.reset();
    }
  }

  /** Waits for every queued batch to be produced (or fail), then disconnects. */
  async close(): Promise<void> {
    if (this.sending || this.queue.length > 0) await new Promise<void>((r) => this.idle.push(r));
    this.closed = true;
    await this.connecting?.catch(() => undefined);
    await this.reset();
  }

  private async connected(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.connecting ??= (async () => {
      if (this.options.createTopics && !this.topicsReady) {
        const created = await ensureTopics(this.kafka, this.options.topics);
        if (created.length > 0) this.options.logger.info("created topics", { topics: created });
        this.topicsReady = true;
      }
      const p = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await p.connect();
      if (this.closed) {
        await p.disconnect();
        throw new Error("the producer is closed");
      }
      this.producer = p;
      return p;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async reset(): Promise<void> {
    const p = this.producer;
    this.producer = undefined;
    await p?.disconnect().catch(() => undefined);
  }

  private takeGroup(): Pending[] {
    const group: Pending[] = [this.queue.shift()!];
    let bytes = group[0]!.records.bytes;
    while (this.queue.length > 0 && bytes + this.queue[0]!.records.bytes <= this.options.maxRequestBytes) {
      const next = this.queue.shift()!;
      bytes += next.records.bytes;
      group.push(next);
    }
    return group;
  }

  private async pump(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const group = this.takeGroup();
        const t = this.options.topics;
        const events = group.flatMap((g) => g.records.events.map(toMessage));
        const rejected = group.flatMap((g) => g.records.rejected.map(toMessage));
        const topicMessages: TopicMessages[] = [];
        if (events.length > 0) topicMessages.push({ topic: t.events, messages: events });
        if (rejected.length > 0) topicMessages.push({ topic: t.rejected, messages: rejected });
        const started = process.hrtime.bigint();
        try {
          const producer = await this.connected();
          await producer.sendBatch({ topicMessages, acks: -1, timeout: this.options.ackTimeoutMs });
          this.options.observer?.onProduce(Number(process.hrtime.bigint() - started) / 1e9, events.length + rejected.length, group.length, true);
          for (const g of group) g.resolve();
        } catch (e) {
          this.options.observer?.onProduce(Number(process.hrtime.bigint() - started) / 1e9, events.length + rejected.length, group.length, false);
          this.options.logger.warn("kafka produce failed; replacing the producer", { err: e instanceof Error ? e.message : String(e), batches: group.length });
          await this.reset();
          for (const g of group) g.reject(e);
        }
      }
    } finally {
      this.sending = false;
      for (const r of this.idle.splice(0)) r();
    }
  }
}
