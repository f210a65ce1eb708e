import { Partitioners, type Kafka, type Message, type Producer, type TopicMessages } from "kafkajs";
import type { Logger } from "@trackway/runtime";

/** Records of one gRPC batch bound for one lane, per topic. */
export interface LanePart {
  byTopic: Map<string, Message[]>;
  bytes: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** What a lane reports for metrics: one produce request's duration, records, parts (gRPC batches) and outcome. */
export type LaneObserver = (seconds: number, records: number, parts: number, ok: boolean) => void;

/**
 * One idempotent kafkajs producer (acks=all, one request in flight as kafkajs requires for idempotence) and
 * the queue in front of it. Parts that arrive while a request is in flight go together in the next request
 * (group commit). After any failed request the producer is replaced by one with a new producer id: kafkajs
 * rolls its sequence numbers back after a failure, and reusing them for other records after a request that
 * did reach the log would make the broker drop those records as duplicates, silently.
 */
export class ProducerLane {
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;
  private readonly queue: LanePart[] = [];
  private sending = false;
  private idle: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: { maxRequestBytes: number; ackTimeoutMs: number; logger: Logger; observe: LaneObserver },
  ) {}

  /** Queues a part; its promise settles when Kafka acknowledged (or failed) the request that carried it. */
  push(part: LanePart): void {
    this.queue.push(part);
    void this.pump();
  }

  /** Connects now (ahead of the first batch). */
  async connect(): Promise<void> {
    await this.connected();
  }

  /** Waits for the queue to empty, then disconnects. */
  async close(): Promise<void> {
    if (this.sending || this.queue.length > 0) await new Promise<void>((r) => this.idle.push(r));
    this.closed = true;
    await this.connecting?.catch(() => undefined);
    await this.reset();
  }

  private connected(): Promise<Producer> {
    if (this.producer) return Promise.resolve(this.producer);
    this.connecting ??= (async () => {
      const p = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
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

  private takeGroup(): LanePart[] {
    const group: LanePart[] = [this.queue.shift()!];
    let bytes = group[0]!.bytes;
    while (this.queue.length > 0 && bytes + this.queue[0]!.bytes <= this.options.maxRequestBytes) {
      const next = this.queue.shift()!;
      bytes += next.bytes;
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
        const byTopic = new Map<string, Message[]>();
        let records = 0;
        for (const part of group) {
          for (const [topic, messages] of part.byTopic) {
            const list = byTopic.get(topic);
            if (list) list.push(...messages);
            else byTopic.set(topic, [...messages]);
            records += messages.length;
          }
        }
        const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
        const started = process.hrtime.bigint();
        try {
          const producer = await this.connected();
          await producer.sendBatch({ topicMessages, acks: -1, timeout: this.options.ackTimeoutMs });
          this.options.observe(Number(process.hrtime.bigint() - started) / 1e9, records, group.length, true);
          for (const g of group) g.resolve();
        } catch (e) {
          this.options.observe(Number(process.hrtime.bigint() - started) / 1e9, records, group.length, false);
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
