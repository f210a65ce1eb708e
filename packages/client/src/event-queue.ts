import type { EventHeader } from "@trackway/proto/event/v1";

/** An event waiting to be sent: its own full header and encoded properties. */
export interface QueuedEvent {
  header: EventHeader;
  properties: Uint8Array;
  /** Approximate encoded size, for batch and queue byte limits. */
  bytes: number;
}

/**
 * What happens when `track()` finds the queue full. `drop-newest` (the default) refuses the new event and
 * keeps what is already queued, so that a burst never replaces older data; `drop-oldest` evicts the oldest
 * queued events to make room, keeping the freshest. Either way each dropped event is reported to `onDrop`
 * with reason `QUEUE_FULL`; `track()` never blocks and never throws for a full queue.
 */
export type OverflowPolicy = "drop-newest" | "drop-oldest";

/** A FIFO of events bounded by count and bytes, with an overflow policy. */
export class EventQueue {
  private items: QueuedEvent[] = [];
  private head = 0;
  private byteCount = 0;

  constructor(
    private readonly maxEvents: number,
    private readonly maxBytes: number,
    private readonly policy: OverflowPolicy,
  ) {}

  /** Events queued. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Bytes queued. */
  get bytes(): number {
    return this.byteCount;
  }

  /** Queues an event; returns the events dropped to honour the bounds (the new one under `drop-newest`). */
  push(e: QueuedEvent): QueuedEvent[] {
    const fits = () => this.length + 1 <= this.maxEvents && this.byteCount + e.bytes <= this.maxBytes;
    if (!fits()) {
      if (this.policy === "drop-newest" || e.bytes > this.maxBytes) return [e];
      const dropped: QueuedEvent[] = [];
      while (!fits() && this.length > 0) dropped.push(this.shift());
      this.append(e);
      return dropped;
    }
    this.append(e);
    return [];
  }

  /** Takes the oldest events up to `maxEvents` and `maxBytes` (at least one when any is queued). */
  take(maxEvents: number, maxBytes: number): QueuedEvent[] {
    const out: QueuedEvent[] = [];
    let bytes = 0;
    while (this.length > 0 && out.length < maxEvents) {
      const next = this.items[this.head]!;
      if (out.length > 0 && bytes + next.bytes > maxBytes) break;
      bytes += next.bytes;
      out.push(this.shift());
    }
    return out;
  }

  private append(e: QueuedEvent): void {
    this.items.push(e);
    this.byteCount += e.bytes;
  }

  private shift(): QueuedEvent {
    const e = this.items[this.head]!;
    this.items[this.head] = undefined as unknown as QueuedEvent;
    this.head += 1;
    this.byteCount -= e.bytes;
    // Compact once the consumed prefix dominates, keeping take() O(1) amortised.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return e;
  }
}
