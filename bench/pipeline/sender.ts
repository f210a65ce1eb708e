// The bench's load: shop.order_completed events from four SDK clients in one process (500-event batches, 5,000
// users), as bench/pipeline/run.ts offers them and bench/pipeline/ods-harness.ts seeds them.
import { create } from "@bufbuild/protobuf";
import { createClient, type TrackwayClient } from "@trackway/client";
import type { IngestWorld } from "../../tests/support/index.js";

const CLIENTS = 4;

/** Sends orders through the SDK; `acked` counts the events ingest acknowledged. */
export class OrderSender {
  readonly clients: TrackwayClient[];
  acked = 0;
  /** Events handed to the SDK so far. */
  seq = 0;

  constructor(
    address: string,
    private readonly w: IngestWorld,
  ) {
    this.clients = Array.from({ length: CLIENTS }, (_, c) =>
      createClient({
        address,
        apiKey: w.apiKey,
        schemas: [w.orderV2],
        versions: { "shop.order_completed": 2 },
        identity: { userId: `bench-user-${c}` },
        context: { app: { name: "bench", version: "1.0.0" }, locale: "en-GB", page: { path: "/checkout" } },
        maxBatchEvents: 500,
        flushIntervalMs: 50,
        maxQueueEvents: 500_000,
        hooks: { onBatchSent: (b) => (this.acked += b.result?.accepted ?? 0) },
      }),
    );
  }

  /** Queues `n` more events (the clients send them in the background). */
  track(n: number): void {
    for (let i = 0; i < n; i++, this.seq++) {
      const seq = this.seq;
      this.clients[seq % CLIENTS]!.track("shop.order_completed", create(this.w.orderV2, { orderId: `o-${seq}`, itemCount: seq % 7, currency: "EUR" }), {
        identity: { userId: `u-${seq % 5000}` },
      });
    }
  }

  flush(): Promise<void> {
    return Promise.all(this.clients.map((c) => c.flush())).then(() => undefined);
  }

  close(): Promise<void> {
    return Promise.all(this.clients.map((c) => c.close())).then(() => undefined);
  }
}
