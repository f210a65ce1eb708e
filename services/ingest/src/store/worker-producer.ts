import { Worker } from "node:worker_threads";
import type { Logger } from "@trackway/runtime";
import type { RecordSpec } from "../core/process-batch.js";
import type { ProduceObserver } from "./event-producer.js";
import { packRecords } from "./record-pack.js";
import type { FromWorker, ProducerWorkerData, ToWorker } from "./producer-worker.js";

// The worker runs TypeScript like the rest of the service: it registers tsx first, then loads its entry.
// Resolved from here (an eval'd worker would resolve from the working directory).
const tsxApi = typeof import.meta.resolve === "function" ? import.meta.resolve("tsx/esm/api") : "tsx/esm/api";
const entry = new URL("./producer-worker.ts", import.meta.url).href;
const BOOT = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;

interface Pending {
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Ingest's Kafka producer in a worker thread: `produce()` hands the batch's records to the worker, which runs
 * the EventProducer (idempotent lanes, acks=all) and answers when Kafka acknowledged them. The main thread
 * keeps serving gRPC and validating events while kafkajs encodes records. A worker that dies fails the
 * batches it held (the clients retry them) and is replaced.
 */
export class WorkerProducer {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly data: ProducerWorkerData,
    private readonly logger: Logger,
    private readonly observer?: ProduceObserver,
  ) {}

  /** Produces a batch's records; resolves when Kafka acknowledged all of them. */
  produce(records: { events: RecordSpec[]; rejected: RecordSpec[]; bytes: number }): Promise<void> {
    if (records.events.length === 0 && records.rejected.length === 0) return Promise.resolve();
    if (this.closing) return Promise.reject(new Error("the producer is closing"));
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const events = packRecords(records.events);
      const rejected = packRecords(records.rejected);
      this.send({ type: "produce", id, events, rejected, bytes: records.bytes }, [events.buffer, rejected.buffer]);
    });
  }

  /** Starts the worker, which creates the topics and connects ahead of the first batch. */
  warmUp(): Promise<void> {
    this.send({ type: "warmUp" });
    return Promise.resolve();
  }

  /** Waits until every batch handed over is produced (or failed), then stops the worker. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const w = this.worker;
      if (!w) return;
      await new Promise<void>((resolve) => {
        const done = (m: FromWorker) => m.type === "closed" && resolve();
        w.on("message", done);
        w.once("exit", () => resolve());
        w.postMessage({ type: "close" } satisfies ToWorker);
      });
      await w.terminate();
    })();
    return this.closing;
  }

  private send(m: ToWorker, transfer: ArrayBuffer[] = []): void {
    (this.worker ??= this.spawn()).postMessage(m, transfer);
  }

  private spawn(): Worker {
    const w = new Worker(BOOT, { eval: true, workerData: this.data, name: "kafka-producer" });
    w.on("message", (m: FromWorker) => {
      if (m.type === "done") {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.error === undefined) p?.resolve();
        else p?.reject(new Error(m.error));
      } else if (m.type === "produced") this.observer?.onProduce(m.seconds, m.records, m.batches, m.ok);
    });
    const fail = (why: string) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      if (this.closing) return;
      this.logger.error("kafka producer worker stopped; failing its batches and starting another", { why });
      for (const [, p] of this.pending) p.reject(new Error(`producer worker stopped: ${why}`));
      this.pending.clear();
    };
    w.on("error", (e) => fail(e.message));
    w.on("exit", (code) => fail(`exit ${code}`));
    return w;
  }
}
