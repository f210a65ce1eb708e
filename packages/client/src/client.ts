import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { status } from "@grpc/grpc-js";
import { EventHeader, type Context, type DeepPartial, type Identity } from "@trackway/proto/event/v1";
import { IngestRequest } from "@trackway/proto/ingest/v1";
import { encodeProperties, extractCommon, type Message } from "@trackway/envelope";
import { EventQueue, type QueuedEvent } from "./event-queue.js";
import { callHook } from "./hooks.js";
import { compileOptions, type ClientOptions, type CompiledOptions } from "./options.js";
import { classifyFailure, retryDelayMs, toSendFailure } from "./retry-policy.js";
import { StreamTransport, UnaryTransport, type BatchTransport } from "./transport.js";

/** Per-event settings of `track()`; everything else comes from the client's identity and context. */
export interface TrackOptions {
  /** Schema version the properties were encoded with; overrides the client's `versions`. */
  version?: number;
  /** When it happened. @default now */
  eventTime?: Date;
  /** The event's id. @default a random UUID */
  eventId?: string;
  /** Attributes of this event, merged over the client's. */
  attributes?: Record<string, string>;
  /** Identity of this event, merged over the client's. */
  identity?: Partial<Identity>;
}

interface Batch {
  id: string;
  events: QueuedEvent[];
}

// A retry back-off never keeps the process alive by itself.
const sleep = (ms: number) => delay(ms, undefined, { ref: false });

/**
 * The Trackway client: `track()` queues typed events; batches leave by count, bytes or interval over one
 * compressed gRPC stream, with fields shared by the whole batch sent once. Failed batches are retried with
 * backoff and jitter under the same event ids. See ClientOptions for every knob.
 */
export class TrackwayClient {
  private readonly o: CompiledOptions;
  private readonly queue: EventQueue;
  private readonly transport: BatchTransport;
  private identity: Identity;
  private context: Context;
  private sessionId: string;
  private inFlight = 0;
  private readonly slotWaiters: (() => void)[] = [];
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private due = false;
  private closed = false;
  /** Set when close() ran out of time: whatever is still being sent is given up. */
  private aborted = false;

  constructor(options: ClientOptions, transport?: BatchTransport) {
    this.o = compileOptions(options);
    this.queue = new EventQueue(this.o.maxQueueEvents, this.o.maxQueueBytes, this.o.overflow);
    this.transport = transport ?? (this.o.transport === "unary" ? new UnaryTransport(this.o) : new StreamTransport(this.o));
    this.identity = this.o.identity;
    this.context = this.o.context;
    this.sessionId = this.o.sessionId;
  }

  /** Sets who the next events are about (fields not given are kept). */
  identify(identity: Partial<Identity>): void {
    this.identity = { ...this.identity, ...identity };
  }

  /** Replaces the context of the next events (the library entry is kept unless given). */
  setContext(context: DeepPartial<Context>): void {
    const library = this.context.library;
    this.context = EventHeader.fromPartial({ context }).context!;
    if (!this.context.library?.name) this.context.library = library;
  }

  /** Sets the session of the next events. */
  setSession(sessionId: string): void {
    this.sessionId = sessionId;
  }

  /** Events waiting in the queue, and batches sent but not yet acknowledged. */
  get pending(): { queued: number; inFlightBatches: number } {
    return { queued: this.queue.length, inFlightBatches: this.inFlight };
  }

  /**
   * Queues an event and returns its id, or undefined when it was dropped (full queue, closed client; see
   * `onDrop`). `properties` is a protobuf-es message whose schema is in `schemas`, or the already-encoded
   * bytes of the properties message. Throws only for a programming error: a message of an unknown type.
   */
  track(name: string, properties: Message | Uint8Array, options: TrackOptions = {}): string | undefined {
    const bytes = properties instanceof Uint8Array ? properties : this.encode(properties);
    const eventId = options.eventId ?? randomUUID();
    if (this.closed) {
      callHook(this.o.hooks.onDrop, { reason: "CLIENT_CLOSED", eventIds: [eventId] });
      return undefined;
    }
    const header: EventHeader = {
      eventId,
      eventName: name,
      schemaVersion: options.version ?? this.o.versions[name] ?? 0,
      eventTime: options.eventTime ?? new Date(),
      sentAt: undefined,
      identity: options.identity ? { ...this.identity, ...options.identity } : this.identity,
      sessionId: this.sessionId,
      context: this.context,
      attributes: options.attributes ? { ...this.o.attributes, ...options.attributes } : this.o.attributes,
    };
    return this.push(header, bytes);
  }

  /**
   * Queues an event whose header is complete already (replay and import tools): nothing of the client's
   * identity or context is added, and the header's `event_id` is kept (one is generated when empty).
   * Returns the id, or undefined when dropped.
   */
  enqueue(header: EventHeader, properties: Uint8Array): string | undefined {
    const h = EventHeader.fromPartial({ ...header, eventId: header.eventId || randomUUID(), sentAt: undefined });
    if (this.closed) {
      callHook(this.o.hooks.onDrop, { reason: "CLIENT_CLOSED", eventIds: [h.eventId] });
      return undefined;
    }
    return this.push(h, properties);
  }

  private push(header: EventHeader, properties: Uint8Array): string | undefined {
    // Shared parts are extracted per batch; what stays per event is mostly the id, time and properties.
    const size = properties.length + header.eventName.length + header.eventId.length + 32;
    const dropped = this.queue.push({ header, properties, bytes: size });
    if (dropped.length > 0) callHook(this.o.hooks.onDrop, { reason: "QUEUE_FULL", eventIds: dropped.map((d) => d.header.eventId) });
    if (dropped.some((d) => d.header === header)) return undefined;
    this.schedule();
    return header.eventId;
  }

  /** Sends everything queued now and resolves when all of it, and every batch already in flight, is acknowledged or dropped. */
  async flush(): Promise<void> {
    while (this.queue.length > 0) this.start(this.queue.take(this.o.maxBatchEvents, this.o.maxBatchBytes));
    // Only what exists now: events tracked meanwhile go out on their own schedule.
    await Promise.all([...this.running]);
  }

  /**
   * Flushes, then closes the connection; events tracked afterwards are dropped (`CLIENT_CLOSED`). With a
   * timeout, what is still unsent when it expires is dropped (`CLOSE_TIMEOUT`) and in-flight sends are cut.
   */
  async close(timeoutMs = 30_000): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), timeoutMs)));
    const outcome = await Promise.race([this.flush().then(() => "done" as const), expired]);
    clearTimeout(timer);
    if (outcome === "timeout") {
      this.aborted = true;
      const left = this.queue.take(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      if (left.length > 0) callHook(this.o.hooks.onDrop, { reason: "CLOSE_TIMEOUT", eventIds: left.map((e) => e.header.eventId) });
    }
    this.transport.close();
  }

  private encode(m: unknown): Uint8Array {
    return encodeProperties(this.o.schemas, m);
  }

  /** Starts full batches while slots are free; arms the interval timer for a partial one. */
  private schedule(): void {
    const o = this.o;
    while (this.queue.length > 0 && this.inFlight + this.slotWaiters.length < o.maxInFlightBatches) {
      const full = this.queue.length >= o.maxBatchEvents || this.queue.bytes >= o.maxBatchBytes;
      if (!full && !this.due) break;
      this.start(this.queue.take(o.maxBatchEvents, o.maxBatchBytes));
    }
    if (this.queue.length === 0) this.due = false;
    if (this.queue.length > 0 && !this.timer && !this.due) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.due = true;
        this.schedule();
      }, o.flushIntervalMs);
      this.timer.unref();
    }
  }

  private start(events: QueuedEvent[]): void {
    const run = this.deliver({ id: randomUUID(), events }).finally(() => {
      this.running.delete(run);
      this.schedule();
    });
    this.running.add(run);
  }

  private async acquire(): Promise<void> {
    if (this.inFlight < this.o.maxInFlightBatches) {
      this.inFlight += 1;
      return;
    }
    await new Promise<void>((r) => this.slotWaiters.push(r));
  }

  private release(): void {
    const next = this.slotWaiters.shift();
    if (next) next();
    else this.inFlight -= 1;
  }

  private async deliver(batch: Batch): Promise<void> {
    await this.acquire();
    try {
      await this.sendWithRetries(batch);
    } finally {
      this.release();
    }
  }

  private async sendWithRetries(batch: Batch): Promise<void> {
    const { hooks, backoff } = this.o;
    const ids = () => batch.events.map((e) => e.header.eventId);
    for (let attempt = 1; ; attempt++) {
      if (this.aborted) {
        callHook(hooks.onDrop, { reason: "CLOSE_TIMEOUT", eventIds: ids() });
        return;
      }
      // sent_at is this attempt's time: ingest measures clock skew from it, so a retry must not reuse the first one's.
      const request = this.encodeBatch(batch);
      const started = performance.now();
      try {
        const result = await this.transport.send(request, this.o.batchTimeoutMs);
        callHook(hooks.onBatchSent, { batchId: batch.id, events: batch.events.length, eventIds: ids(), bytes: request.length, attempt, latencyMs: performance.now() - started, result });
        return;
      } catch (e) {
        const f = toSendFailure(e);
        const action = classifyFailure(f, batch.events.length);
        if (action === "split") {
          const half = Math.ceil(batch.events.length / 2);
          await this.sendWithRetries({ id: randomUUID(), events: batch.events.slice(0, half) });
          await this.sendWithRetries({ id: randomUUID(), events: batch.events.slice(half) });
          return;
        }
        if (action === "drop" || attempt >= backoff.maxAttempts || this.aborted) {
          const reason = this.aborted ? "CLOSE_TIMEOUT" : action === "drop" ? (f.reason ?? status[f.code] ?? "UNKNOWN") : "RETRIES_EXHAUSTED";
          callHook(hooks.onDrop, { reason, eventIds: ids(), code: f.code, message: f.message });
          return;
        }
        const delayMs = retryDelayMs(f, attempt, backoff);
        callHook(hooks.onRetry, { batchId: batch.id, events: batch.events.length, attempt, delayMs, code: f.code, reason: f.reason });
        await sleep(delayMs);
      }
    }
  }

  private encodeBatch(batch: Batch): Uint8Array {
    const { common, events } = extractCommon(batch.events.map((e) => e.header));
    return IngestRequest.encode({
      batch: {
        batchId: batch.id,
        sentAt: new Date(),
        common,
        events: events.map((header, i) => ({ header, properties: batch.events[i]!.properties as Buffer })),
      },
    }).finish();
  }
}

/** Creates a client; see ClientOptions. */
export function createClient(options: ClientOptions, transport?: BatchTransport): TrackwayClient {
  return new TrackwayClient(options, transport);
}
