// Entry of the Kafka producer's worker thread (see worker-producer.ts): the same EventProducer, run beside
// the thread that serves gRPC and validates events, so that kafkajs' record encoding runs in parallel.
import { parentPort, workerData } from "node:worker_threads";
import { createLogger } from "@trackway/runtime";
import { EventProducer, type EventProducerOptions } from "./event-producer.js";
import { createKafka, kafkaErrorText, type KafkaConnection } from "@trackway/kafka";
import { unpackRecords, type PackedRecords } from "./record-pack.js";

/** What the main thread passes to the worker. */
export interface ProducerWorkerData {
  connection: KafkaConnection;
  producer: Omit<EventProducerOptions, "logger" | "observer">;
  logLevel: string;
}

/** Messages from the main thread. */
export type ToWorker = { type: "produce"; id: number; events: PackedRecords; rejected: PackedRecords; bytes: number } | { type: "warmUp" } | { type: "close" };
/** Messages to the main thread. */
export type FromWorker =
  | { type: "done"; id: number; error?: string }
  | { type: "produced"; seconds: number; records: number; batches: number; ok: boolean }
  | { type: "closed" };

const data = workerData as ProducerWorkerData;
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
const logger = createLogger("ingest", data.logLevel).child("producer");
const producer = new EventProducer(createKafka(data.connection, logger), {
  ...data.producer,
  logger,
  observer: { onProduce: (seconds, records, batches, ok) => post({ type: "produced", seconds, records, batches, ok }) },
});

port.on("message", (m: ToWorker) => {
  if (m.type === "produce") {
    producer.produce({ events: unpackRecords(m.events), rejected: unpackRecords(m.rejected), bytes: m.bytes }).then(
      () => post({ type: "done", id: m.id }),
      // The nested errors' text too: the main thread tells a refused login or ACL from an outage by it.
      (e: unknown) => post({ type: "done", id: m.id, error: kafkaErrorText(e) }),
    );
  } else if (m.type === "warmUp") {
    void producer.warmUp();
  } else {
    void producer.close().finally(() => post({ type: "closed" }));
  }
});
