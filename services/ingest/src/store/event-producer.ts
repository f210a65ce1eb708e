import { Partitioners, type Kafka, type Message } from "kafkajs";
import { explainKafkaError } from "@trackway/kafka";
import type { Logger } from "@trackway/runtime";
import { ProducerLane, type LanePart } from "./producer-lane.js";
import { ensureTopics, type TopicSettings } from "./topics.js";

/** A record to produce: JSON as a string, or already UTF-8 bytes (from another thread). */
export interface ProducibleRecord {
  key: string | null;
  value: string | Buffer;
  headers: Record<string, string | Buffer>;
}

/** The records of one gRPC batch, for both topics. */
export interface BatchRecords {
  events: ProducibleRecord[];
  rejected: ProducibleRecord[];
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
  /** Idempotent producers, each owning the partitions `p % lanes === lane`. @default 4 */
  lanes: number;
  /** Records of several gRPC batches go into one produce request up to this many bytes of JSON. */
  maxRequestBytes: number;
  /** How long the broker may wait for all in-sync replicas before answering, ms. */
  ackTimeoutMs: number;
  /** Whether to create missing topics before the first produce. */
  createTopics: boolean;
  logger: Logger;
  observer?: ProduceObserver;
}

const toMessage = (r: ProducibleRecord, partition: number): Message => ({ key: r.key, value: r.value, headers: r.headers, partition });

/**
 * Ingest's Kafka producer (acks=all, idempotent). kafkajs allows one request in flight per idempotent
 * producer, so requests queue behind each other's round trips; ingest therefore runs several producers
 * ("lanes"), each owning a fixed share of the partitions. A record's partition comes from its key with Kafka's
 * default (murmur2) partitioner, as any client would pick it, so one key always goes through one lane, in
 * order. A batch's promise resolves only once every lane acknowledged its share of the batch.
 */
export class EventProducer {
  private readonly lanes: ProducerLane[];
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private partitions: Map<string, number> | undefined;
  private preparing: Promise<Map<string, number>> | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: EventProducerOptions,
  ) {
    const observe = (s: number, records: number, parts: number, ok: boolean) => options.observer?.onProduce(s, records, parts, ok);
    this.lanes = Array.from({ length: Math.max(1, options.lanes) }, (_, i) =>
      new ProducerLane(kafka, { maxRequestBytes: options.maxRequestBytes, ackTimeoutMs: options.ackTimeoutMs, logger: options.logger.child(`lane-${i}`), observe }),
    );
  }

  /** Produces a batch's records; resolves when Kafka acknowledged all of them, rejects with the Kafka error otherwise. */
  async produce(records: BatchRecords): Promise<void> {
    if (records.events.length === 0 && records.rejected.length === 0) return;
    const partitions = await this.prepare();
    const parts = new Map<number, { byTopic: Map<string, Message[]>; bytes: number }>();
    const assign = (topic: string, list: ProducibleRecord[]) => {
      const count = partitions.get(topic)!;
      const meta = Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
      for (const r of list) {
        const partition = this.partitioner({ topic, partitionMetadata: meta, message: { key: r.key, value: r.value } });
        const lane = partition % this.lanes.length;
        let part = parts.get(lane);
        if (!part) parts.set(lane, (part = { byTopic: new Map(), bytes: 0 }));
        let msgs = part.byTopic.get(topic);
        if (!msgs) part.byTopic.set(topic, (msgs = []));
        msgs.push(toMessage(r, partition));
        part.bytes += r.value.length;
      }
    };
    assign(this.options.topics.events, records.events);
    assign(this.options.topics.rejected, records.rejected);
    await Promise.all(
      [...parts].map(([lane, p]) => new Promise<void>((resolve, reject) => this.lanes[lane]!.push({ ...p, resolve, reject } satisfies LanePart))),
    ).catch((e: unknown) => {
      // Partition counts may have changed (topics recreated, partitions added): read them again next time.
      this.partitions = undefined;
      throw e;
    });
  }

  /** Creates the topics and connects every lane ahead of the first batch; failures are logged and retried by the first produce. */
  async warmUp(): Promise<void> {
    try {
      await this.prepare();
      await Promise.all(this.lanes.map((l) => l.connect()));
    } catch (e) {
      const refused = explainKafkaError(e);
      if (refused) this.options.logger.error("kafka refused ingest; every batch fails until the Kafka settings are fixed", { reason: refused.reason, err: refused.message });
      else this.options.logger.warn("kafka not reachable yet; will retry on the first batch", { err: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Waits for every queued batch to be produced (or fail), then disconnects. */
  async close(): Promise<void> {
    await this.preparing?.catch(() => undefined);
    await Promise.all(this.lanes.map((l) => l.close()));
  }

  /** The partition count of both topics (creating them first when configured to). */
  private prepare(): Promise<Map<string, number>> {
    if (this.partitions) return Promise.resolve(this.partitions);
    this.preparing ??= (async () => {
      const t = this.options.topics;
      if (this.options.createTopics) {
        const created = await ensureTopics(this.kafka, t);
        if (created.length > 0) this.options.logger.info("created topics", { topics: created });
      }
      const admin = this.kafka.admin();
      await admin.connect();
      try {
        const meta = await admin.fetchTopicMetadata({ topics: [t.events, t.rejected] });
        this.partitions = new Map(meta.topics.map((m) => [m.name, m.partitions.length]));
        return this.partitions;
      } finally {
        await admin.disconnect();
      }
    })().finally(() => (this.preparing = undefined));
    return this.preparing;
  }
}
