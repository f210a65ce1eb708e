import type { handleBidiStreamingCall, ServerDuplexStream } from "@grpc/grpc-js";
import type { IngestResponse } from "@trackway/proto/ingest/v1";
import { isTrackwayError, toStatus, type Logger } from "@trackway/runtime";
import type { RawBatch } from "../core/raw-batch.js";
import { shuttingDown } from "../errors.js";
import type { IngestMetrics } from "../metrics.js";
import type { BatchPipeline } from "./batch-pipeline.js";
import { clientIpOf } from "./call-source.js";

/** How the Ingest stream reads. */
export interface StreamOptions {
  /**
   * Batches of one stream being processed at once. When the window is full the stream stops reading, so
   * HTTP/2 flow control pushes back on the client: a stream holds at most this many batches in process
   * plus what the stream's object buffer (16) and the HTTP/2 window keep.
   */
  maxInFlight: number;
  trustForwardedFor: boolean;
}

type Call = ServerDuplexStream<RawBatch, IngestResponse>;

interface OpenStream {
  /** Stops reading; in-flight batches finish, then the stream ends with UNAVAILABLE (SHUTTING_DOWN). */
  stopReading(): void;
  readonly closed: Promise<void>;
}

/**
 * The Ingest bidirectional stream: batches are processed concurrently up to a window, results are written
 * strictly in the order the batches came, each only after Kafka acknowledged its records. A batch-level
 * failure ends the stream with that status once the results before it are written; batches after it get
 * no result, which tells the client they were not acknowledged.
 */
export class IngestStreams {
  private readonly open = new Set<OpenStream>();
  private draining = false;

  constructor(
    private readonly pipeline: BatchPipeline,
    private readonly options: StreamOptions,
    private readonly metrics: IngestMetrics,
    private readonly logger: Logger,
  ) {}

  /** The grpc-js handler. */
  handler(): handleBidiStreamingCall<RawBatch, IngestResponse> {
    return (call) => this.serve(call);
  }

  /** Number of open streams. */
  get size(): number {
    return this.open.size;
  }

  /** Graceful shutdown: every stream stops reading, finishes its in-flight batches, and ends. */
  async drain(): Promise<void> {
    this.draining = true;
    const all = [...this.open];
    for (const s of all) s.stopReading();
    await Promise.all(all.map((s) => s.closed));
  }

  private serve(call: Call): void {
    const { maxInFlight } = this.options;
    const ip = clientIpOf(call.getPeer(), call.metadata, this.options.trustForwardedFor);
    let inFlight = 0;
    let paused = false;
    let stopping = this.draining;
    let halfClosed = false;
    let closed = false;
    let chain: Promise<void> = Promise.resolve();
    let markClosed!: () => void;
    const closedP = new Promise<void>((r) => (markClosed = r));
    const state: OpenStream = {
      closed: closedP,
      stopReading: () => {
        stopping = true;
        call.pause();
        void chain.then(maybeEnd);
      },
    };
    this.open.add(state);
    const finish = (): void => {
      closed = true;
      this.open.delete(state);
      markClosed();
    };
    const fail = (e: unknown): void => {
      if (closed) return;
      if (!isTrackwayError(e)) this.logger.error("ingest stream failed", { err: e instanceof Error ? e.stack : String(e) });
      finish();
      call.emit("error", toStatus(e));
    };
    function maybeEnd(): void {
      if (closed || inFlight > 0) return;
      if (halfClosed) {
        finish();
        call.end();
      } else if (stopping) fail(shuttingDown());
    }
    const writeable = (): Promise<void> =>
      new Promise<void>((resolve) => {
        call.once("drain", resolve);
        void closedP.then(resolve);
      });

    call.on("cancelled", finish);
    call.on("close", finish);
    call.on("error", () => finish());
    // Fail fast on a bad key, before the client sends a whole batch.
    this.pipeline.authenticate(call.metadata).catch(fail);
    if (stopping) state.stopReading();

    call.on("data", (raw: RawBatch) => {
      // Read after stopReading (or after a failure): left without a result, so the client resends it.
      if (closed || stopping) return;
      inFlight += 1;
      if (inFlight >= maxInFlight && !paused) {
        paused = true;
        this.metrics.inFlight.inc({ method: "Ingest" });
        call.pause();
      }
      const work = this.pipeline.authenticate(call.metadata).then((grant) => this.pipeline.handle(raw, grant, ip, "Ingest"));
      work.catch(() => undefined); // handled in order below; avoid an unhandled rejection meanwhile
      chain = chain.then(async () => {
        let result;
        try {
          result = await work;
        } catch (e) {
          fail(e);
          return;
        }
        if (closed) return;
        if (!call.write({ result })) await writeable();
        inFlight -= 1;
        if (paused && inFlight < maxInFlight && !stopping) {
          paused = false;
          call.resume();
        }
        maybeEnd();
      });
    });
    call.on("end", () => {
      halfClosed = true;
      void chain.then(maybeEnd);
    });
  }
}
