import {
  credentials as grpcCredentials,
  makeGenericClientConstructor,
  Metadata,
  status,
  type ChannelCredentials,
  type ChannelOptions,
  type Client,
  type ClientDuplexStream,
  type ServiceError,
} from "@grpc/grpc-js";
import { IngestServiceService, type BatchResult, type IngestResponse, type SendBatchResponse } from "@trackway/proto/ingest/v1";

/** Sends encoded batches to ingest. */
export interface BatchTransport {
  /** Sends one encoded `IngestRequest`; resolves with its result, rejects with a grpc-js style error (`code`, `metadata`). */
  send(request: Uint8Array, timeoutMs: number): Promise<BatchResult>;
  /** Stops: pending sends fail with UNAVAILABLE. */
  close(): void;
}

/** How to reach ingest. */
export interface TransportOptions {
  address: string;
  apiKey: string;
  compression: "gzip" | "deflate" | "none";
  credentials?: ChannelCredentials;
  channelOptions?: ChannelOptions;
}

const raw = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

// The generated service, sending requests the client already encoded (it needs their size anyway).
const RawIngestService = {
  ingest: { ...IngestServiceService.ingest, requestSerialize: raw },
  sendBatch: { ...IngestServiceService.sendBatch, requestSerialize: raw },
};
const IngestClient = makeGenericClientConstructor(RawIngestService, "IngestService");
type RawClient = Client & {
  ingest(metadata: Metadata): ClientDuplexStream<Uint8Array, IngestResponse>;
  sendBatch(req: Uint8Array, metadata: Metadata, options: { deadline: number }, cb: (e: ServiceError | null, r?: SendBatchResponse) => void): void;
};

const COMPRESSION = { none: 0, deflate: 1, gzip: 2 } as const;

/** A grpc-js error object, as the call would have failed with. */
export function grpcError(code: status, details: string, reason?: string): ServiceError {
  const metadata = new Metadata();
  if (reason) metadata.set("trackway-reason", reason);
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata });
}

function connect(o: TransportOptions): { client: RawClient; metadata: Metadata } {
  const client = new IngestClient(o.address, o.credentials ?? grpcCredentials.createInsecure(), {
    "grpc.default_compression_algorithm": COMPRESSION[o.compression],
    "grpc.keepalive_time_ms": 30_000,
    // Reconnect soon after ingest restarts (grpc-js' defaults back off from 1 s up to 2 min).
    "grpc.initial_reconnect_backoff_ms": 250,
    "grpc.max_reconnect_backoff_ms": 10_000,
    ...o.channelOptions,
  }) as unknown as RawClient;
  const metadata = new Metadata();
  metadata.set("x-api-key", o.apiKey);
  return { client, metadata };
}

/** One SendBatch call per batch. */
export class UnaryTransport implements BatchTransport {
  private readonly client: RawClient;
  private readonly metadata: Metadata;

  constructor(o: TransportOptions) {
    ({ client: this.client, metadata: this.metadata } = connect(o));
  }

  send(request: Uint8Array, timeoutMs: number): Promise<BatchResult> {
    return new Promise((resolve, reject) =>
      this.client.sendBatch(request, this.metadata, { deadline: Date.now() + timeoutMs }, (e, r) => (e ? reject(e) : resolve(r!.result!))),
    );
  }

  close(): void {
    this.client.close();
  }
}

interface Pending {
  resolve: (r: BatchResult) => void;
  reject: (e: unknown) => void;
  timer: NodeJS.Timeout;
}

/**
 * One Ingest stream, opened on first use and again after it ends. Results come back in send order, so the
 * oldest pending send gets each result. When the stream fails, the oldest pending send gets the failure when
 * it concerns its batch (a `BATCH_*` reason) and the others a retryable UNAVAILABLE (`STREAM_RESET`); any
 * other failure (say UNAUTHENTICATED) concerns them all. A send without a result within its timeout cancels
 * the stream: it fails with DEADLINE_EXCEEDED and the others are reset.
 */
export class StreamTransport implements BatchTransport {
  private readonly client: RawClient;
  private readonly metadata: Metadata;
  private call: ClientDuplexStream<Uint8Array, IngestResponse> | undefined;
  private pending: Pending[] = [];

  constructor(o: TransportOptions) {
    ({ client: this.client, metadata: this.metadata } = connect(o));
  }

  send(request: Uint8Array, timeoutMs: number): Promise<BatchResult> {
    return new Promise<BatchResult>((resolve, reject) => {
      const call = this.open();
      const p: Pending = { resolve, reject, timer: undefined as unknown as NodeJS.Timeout };
      p.timer = setTimeout(() => this.fail(call, grpcError(status.DEADLINE_EXCEEDED, `no result within ${timeoutMs} ms`), p), timeoutMs);
      this.pending.push(p);
      call.write(request);
    });
  }

  close(): void {
    if (this.call) this.fail(this.call, grpcError(status.UNAVAILABLE, "the client closed", "CLIENT_CLOSED"));
    this.client.close();
  }

  private open(): ClientDuplexStream<Uint8Array, IngestResponse> {
    if (this.call) return this.call;
    const call = this.client.ingest(this.metadata);
    this.call = call;
    call.on("data", (res: IngestResponse) => {
      const head = this.pending.shift();
      if (!head) return;
      clearTimeout(head.timer);
      head.resolve(res.result!);
    });
    call.on("error", (e: ServiceError) => this.fail(call, e));
    // The server ended the stream (status OK) with sends still pending: those have no result, resend them.
    call.on("end", () => this.fail(call, grpcError(status.UNAVAILABLE, "the stream ended before every batch got a result", "STREAM_RESET")));
    return call;
  }

  /** Ends `call` (when still the current one) and fails its pending sends as the class comment says. */
  private fail(call: ClientDuplexStream<Uint8Array, IngestResponse>, e: ServiceError, culprit?: Pending): void {
    if (this.call !== call) return;
    this.call = undefined;
    const pending = this.pending;
    this.pending = [];
    const reason = String(e.metadata?.get("trackway-reason")[0] ?? "");
    const batchSpecific = culprit !== undefined || reason.startsWith("BATCH_");
    const head = culprit ?? pending[0];
    const reset = grpcError(status.UNAVAILABLE, `stream reset: ${e.details}`, "STREAM_RESET");
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(!batchSpecific || p === head ? e : reset);
    }
    call.removeAllListeners("data");
    call.on("error", () => undefined); // cancel() below emits CANCELLED; already handled
    call.cancel();
  }
}
